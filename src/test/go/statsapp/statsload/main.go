// Command statsload gives the relay benchmark its two references, measured against the same Go stats servers:
//
//	-mode sequential   every target fetched once, one after another, each on a fresh connection and its JSON
//	                   decoded: the shape of the old loop (one mackerel-plugin-gostats run per port), without
//	                   the process starts. Prints the time of each round.
//	-mode floor        as many requests as the servers answer in -duration, -concurrency at a time over kept-alive
//	                   connections, round-robin over the targets: the raw request rate, the floor of any collector.
//
// Targets: -ports [host:]lo-hi[,...] (as statsapp's flag), -path (default /stats). The result is one JSON line on
// stdout. Stdlib only. Build (in src/test/go/statsapp): CGO_ENABLED=0 go build ./statsload
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"sync"
	"sync/atomic"
	"time"

	"gostatsapp/ports"
)

func urls(spec, path string) ([]string, error) {
	addrs, err := ports.Expand(spec, "127.0.0.1")
	if err != nil {
		return nil, err
	}
	if len(addrs) == 0 {
		return nil, fmt.Errorf("no targets")
	}
	out := make([]string, len(addrs))
	for i, a := range addrs {
		out[i] = "http://" + a + path
	}
	return out, nil
}

func fetch(c *http.Client, url string, decode bool) error {
	resp, err := c.Get(url)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("%s: status %d", url, resp.StatusCode)
	}
	if decode {
		var doc map[string]any
		return json.NewDecoder(resp.Body).Decode(&doc)
	}
	_, err = io.Copy(io.Discard, resp.Body)
	return err
}

func sequential(targets []string, rounds int) map[string]any {
	c := &http.Client{Timeout: 5 * time.Second, Transport: &http.Transport{DisableKeepAlives: true}}
	var secs []float64
	failures := 0
	for r := 0; r < rounds; r++ {
		start := time.Now()
		for _, u := range targets {
			if err := fetch(c, u, true); err != nil {
				failures++
			}
		}
		secs = append(secs, time.Since(start).Seconds())
	}
	return map[string]any{"mode": "sequential", "targets": len(targets), "round_seconds": secs, "failures": failures}
}

func floor(targets []string, concurrency int, d time.Duration) map[string]any {
	// MaxIdleConns 0: no overall cap, so every target keeps its connections between rounds
	c := &http.Client{Timeout: 5 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: 4, IdleConnTimeout: time.Minute}}
	var next, done, failed atomic.Int64
	stop := time.Now().Add(d)
	start := time.Now()
	var wg sync.WaitGroup
	for i := 0; i < concurrency; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for time.Now().Before(stop) {
				u := targets[int(next.Add(1)-1)%len(targets)]
				if err := fetch(c, u, false); err != nil {
					failed.Add(1)
				} else {
					done.Add(1)
				}
			}
		}()
	}
	wg.Wait()
	secs := time.Since(start).Seconds()
	return map[string]any{"mode": "floor", "targets": len(targets), "concurrency": concurrency, "requests": done.Load(),
		"failures": failed.Load(), "seconds": secs, "requests_per_second": float64(done.Load()) / secs}
}

func main() {
	mode := flag.String("mode", "floor", "sequential or floor")
	ports := flag.String("ports", "", "comma-separated [host:]lo-hi port ranges of the targets (host 127.0.0.1 if none)")
	path := flag.String("path", "/stats", "path fetched on every target")
	rounds := flag.Int("rounds", 3, "sequential: passes over all targets")
	concurrency := flag.Int("concurrency", 64, "floor: requests in flight")
	duration := flag.Duration("duration", 3*time.Second, "floor: how long to send requests")
	flag.Parse()
	targets, err := urls(*ports, *path)
	if err != nil {
		fmt.Fprintf(os.Stderr, "statsload: -ports: %v\n", err)
		os.Exit(2)
	}
	var out map[string]any
	switch *mode {
	case "sequential":
		out = sequential(targets, *rounds)
	case "floor":
		out = floor(targets, *concurrency, *duration)
	default:
		fmt.Fprintf(os.Stderr, "statsload: -mode %q: sequential or floor\n", *mode)
		os.Exit(2)
	}
	json.NewEncoder(os.Stdout).Encode(out)
}

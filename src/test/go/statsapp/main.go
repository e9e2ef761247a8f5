// Command statsapp is a test double for a Go service that serves the JSON
// document of fukata/golang-stats-api-handler v1.0.0 at /stats.
//
// It reproduces the handler's observable behaviour: the same keys in the same
// order, a process-global baseline for gc_per_second / gc_pause_per_second /
// gc_pause that every request (from any client, on any listener) moves on,
// compact JSON with Content-Type application/json and an explicit
// Content-Length, no trailing newline, and a sticky ?pp=1 / ?pp=true
// pretty-print switch that no request ever turns off.
//
// Extra endpoints for tests (they never touch the baseline nor read memstats):
//
//	GET /debug/last-stats  the exact bytes of the most recent stats reply (404 before the first)
//	GET /healthz           200 "ok"
//
// Flags:
//
//	-listen ADDRS      comma-separated addresses or bare ports (":8080", "8080,9090", "127.0.0.1:8080")
//	-ports RANGES      comma-separated port ranges, each optionally after a host ("20000-20999", "127.0.0.1:20000-20999"):
//	                   one process serving many targets (benchmarks); replaces the default -listen
//	-path PATHS        comma-separated paths served by the stats handler (default "/stats")
//	-goroutines N      start N extra goroutines that block forever
//	-churn             allocate garbage continuously in the background so GCs happen
//	-burn F            keep F cores busy (0.5: half of one core) in one extra goroutine per started core
//	-hold-mib N        allocate N MiB at start, touch every page and keep it (resident memory)
//
// Build: CGO_ENABLED=0 go build
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"net"
	"net/http"
	"os"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"time"

	"gostatsapp/ports"
)

// Stats mirrors the handler's struct: field order decides the JSON key order.
type Stats struct {
	Time int64 `json:"time"`

	GoVersion    string `json:"go_version"`
	GoOs         string `json:"go_os"`
	GoArch       string `json:"go_arch"`
	CpuNum       int    `json:"cpu_num"`
	GoroutineNum int    `json:"goroutine_num"`
	Gomaxprocs   int    `json:"gomaxprocs"`
	CgoCallNum   int64  `json:"cgo_call_num"`

	MemoryAlloc      uint64 `json:"memory_alloc"`
	MemoryTotalAlloc uint64 `json:"memory_total_alloc"`
	MemorySys        uint64 `json:"memory_sys"`
	MemoryLookups    uint64 `json:"memory_lookups"`
	MemoryMallocs    uint64 `json:"memory_mallocs"`
	MemoryFrees      uint64 `json:"memory_frees"`

	StackInUse uint64 `json:"memory_stack"`

	HeapAlloc    uint64 `json:"heap_alloc"`
	HeapSys      uint64 `json:"heap_sys"`
	HeapIdle     uint64 `json:"heap_idle"`
	HeapInuse    uint64 `json:"heap_inuse"`
	HeapReleased uint64 `json:"heap_released"`
	HeapObjects  uint64 `json:"heap_objects"`

	GcNext           uint64    `json:"gc_next"`
	GcLast           uint64    `json:"gc_last"`
	GcNum            uint32    `json:"gc_num"`
	GcPerSecond      float64   `json:"gc_per_second"`
	GcPausePerSecond float64   `json:"gc_pause_per_second"`
	GcPause          []float64 `json:"gc_pause"`
}

// The shared baseline: one per process, moved on by every request.
var (
	baselineMu       sync.Mutex
	baselineTime     time.Time
	baselinePauseNs  uint64
	baselineNumGC    uint32
	msPerNs          = float64(time.Millisecond)
	prettyMu         sync.Mutex
	prettyPrint      bool // sticky: set by ?pp=1 or ?pp=true, never cleared
	lastReplyMu      sync.Mutex
	lastReply        []byte
	lastReplyPresent bool
)

func collect() *Stats {
	baselineMu.Lock()
	defer baselineMu.Unlock()

	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	now := time.Now()

	var pauseMs float64
	if baselinePauseNs > 0 {
		pauseMs = float64(m.PauseTotalNs-baselinePauseNs) / msPerNs
	}
	baselinePauseNs = m.PauseTotalNs

	newGCs := int(m.NumGC - baselineNumGC) // uint32 arithmetic, as the handler does
	var perSecond float64
	if baselineNumGC > 0 {
		perSecond = float64(newGCs) / now.Sub(baselineTime).Seconds()
	}
	if newGCs > 256 {
		newGCs = 256 // the runtime keeps only the last 256 pauses
	}
	pauses := make([]float64, newGCs) // never nil: encodes as []
	for i := 0; i < newGCs; i++ {
		slot := int((m.NumGC-uint32(i))+255) % 256 // newest first
		pauses[i] = float64(m.PauseNs[slot]) / msPerNs
	}
	baselineNumGC = m.NumGC
	baselineTime = time.Now() // the next interval starts at the end of this one

	return &Stats{
		Time:         now.UnixNano(),
		GoVersion:    runtime.Version(),
		GoOs:         runtime.GOOS,
		GoArch:       runtime.GOARCH,
		CpuNum:       runtime.NumCPU(),
		GoroutineNum: runtime.NumGoroutine(),
		Gomaxprocs:   runtime.GOMAXPROCS(0),
		CgoCallNum:   runtime.NumCgoCall(),

		MemoryAlloc:      m.Alloc,
		MemoryTotalAlloc: m.TotalAlloc,
		MemorySys:        m.Sys,
		MemoryLookups:    m.Lookups,
		MemoryMallocs:    m.Mallocs,
		MemoryFrees:      m.Frees,

		StackInUse: m.StackInuse,

		HeapAlloc:    m.HeapAlloc,
		HeapSys:      m.HeapSys,
		HeapIdle:     m.HeapIdle,
		HeapInuse:    m.HeapInuse,
		HeapReleased: m.HeapReleased,
		HeapObjects:  m.HeapObjects,

		GcNext:           m.NextGC,
		GcLast:           m.LastGC,
		GcNum:            m.NumGC,
		GcPerSecond:      perSecond,
		GcPausePerSecond: pauseMs,
		GcPause:          pauses,
	}
}

// statsHandler accepts any method, like the library's handler.
func statsHandler(w http.ResponseWriter, r *http.Request) {
	pp := r.URL.Query().Get("pp")
	prettyMu.Lock()
	if pp == "1" || pp == "true" {
		prettyPrint = true
	}
	pretty := prettyPrint
	prettyMu.Unlock()

	var body []byte
	var err error
	if pretty {
		body, err = json.MarshalIndent(collect(), "", "  ")
	} else {
		body, err = json.Marshal(collect())
	}
	if err != nil {
		body = []byte(err.Error())
	}

	lastReplyMu.Lock()
	lastReply = body
	lastReplyPresent = true
	lastReplyMu.Unlock()

	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	if err != nil {
		w.WriteHeader(http.StatusInternalServerError)
	} else {
		w.WriteHeader(http.StatusOK)
	}
	w.Write(body)
}

func lastStatsHandler(w http.ResponseWriter, r *http.Request) {
	lastReplyMu.Lock()
	body, ok := lastReply, lastReplyPresent
	lastReplyMu.Unlock()
	if !ok {
		http.Error(w, "no stats reply served yet", http.StatusNotFound)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(http.StatusOK)
	w.Write(body)
}

func healthzHandler(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Content-Length", "2")
	w.WriteHeader(http.StatusOK)
	w.Write([]byte("ok"))
}

func splitList(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// normalizeAddr turns a bare port ("8080") into ":8080".
func normalizeAddr(a string) string {
	if _, err := strconv.Atoi(a); err == nil {
		return ":" + a
	}
	return a
}

var sink []byte

func churn() {
	for {
		for i := 0; i < 16; i++ {
			sink = make([]byte, 16<<10)
		}
		time.Sleep(time.Millisecond)
	}
}

var held []byte

// burn keeps one core busy for share (0..1] of every 10 ms window.
func burn(share float64) {
	window := 10 * time.Millisecond
	busy := time.Duration(float64(window) * share)
	for {
		start := time.Now()
		for time.Since(start) < busy {
		}
		if rest := window - time.Since(start); rest > 0 {
			time.Sleep(rest)
		}
	}
}

func hold(mib int) {
	held = make([]byte, mib<<20)
	for i := 0; i < len(held); i += 4096 {
		held[i] = 1
	}
}

func main() {
	listen := flag.String("listen", ":8080", "comma-separated listen addresses or ports, e.g. :8080,:9090")
	paths := flag.String("path", "/stats", "comma-separated paths that serve the stats document")
	goroutines := flag.Int("goroutines", 0, "number of extra idle goroutines to start")
	doChurn := flag.Bool("churn", false, "allocate garbage continuously so GCs happen")
	burnCores := flag.Float64("burn", 0, "cores to keep busy (0.5: half of one core)")
	holdMiB := flag.Int("hold-mib", 0, "MiB to allocate and keep resident")
	portRanges := flag.String("ports", "", "comma-separated [host:]lo-hi port ranges to listen on as well, e.g. 127.0.0.1:20000-20999")
	flag.Parse()
	log.SetOutput(os.Stderr)
	log.SetPrefix("statsapp: ")

	listenGiven := false
	flag.Visit(func(f *flag.Flag) { listenGiven = listenGiven || f.Name == "listen" })
	var addrs []string
	if listenGiven || *portRanges == "" {
		addrs = splitList(*listen)
	}
	if *portRanges != "" {
		more, err := ports.Expand(*portRanges, "")
		if err != nil {
			log.Fatalf("-ports: %v", err)
		}
		addrs = append(addrs, more...)
	}
	if len(addrs) == 0 {
		log.Fatal("-listen: no address given")
	}

	mux := http.NewServeMux()
	for _, p := range splitList(*paths) {
		if !strings.HasPrefix(p, "/") {
			log.Fatalf("-path %q: must start with /", p)
		}
		mux.HandleFunc(p, statsHandler)
	}
	mux.HandleFunc("/debug/last-stats", lastStatsHandler)
	mux.HandleFunc("/healthz", healthzHandler)

	block := make(chan struct{})
	for i := 0; i < *goroutines; i++ {
		go func() { <-block }()
	}
	if *doChurn {
		go churn()
	}
	if *holdMiB > 0 {
		hold(*holdMiB)
	}
	for left := *burnCores; left > 0; left-- {
		share := left
		if share > 1 {
			share = 1
		}
		go burn(share)
	}

	// Bind every address first so that a bad one fails before anything is served.
	listeners := make([]net.Listener, 0, len(addrs))
	for _, a := range addrs {
		l, err := net.Listen("tcp", normalizeAddr(a))
		if err != nil {
			log.Fatalf("listen %s: %v", a, err)
		}
		listeners = append(listeners, l)
	}
	bound := make([]string, len(listeners))
	for i, l := range listeners {
		bound[i] = l.Addr().String()
	}
	shown := strings.Join(bound, ",")
	if len(bound) > 4 {
		shown = fmt.Sprintf("%s ... %s (%d addresses)", bound[0], bound[len(bound)-1], len(bound))
	}
	log.Printf("listening on %s (paths %s, extra goroutines %d, churn %v, %s)",
		shown, *paths, *goroutines, *doChurn, runtime.Version())

	// The main goroutine serves the first address, like a plain
	// http.ListenAndServe app, so an idle app with one address reports
	// goroutine_num = 3 during a request (main, the connection's goroutine and
	// its background reader) plus one per further address, plus -goroutines N,
	// plus one with -churn.
	srv := &http.Server{Handler: mux}
	for _, l := range listeners[1:] {
		go func(l net.Listener) {
			err := srv.Serve(l)
			fmt.Fprintf(os.Stderr, "statsapp: serve %s: %v\n", l.Addr(), err)
			os.Exit(1)
		}(l)
	}
	err := srv.Serve(listeners[0])
	fmt.Fprintf(os.Stderr, "statsapp: serve %s: %v\n", listeners[0].Addr(), err)
	os.Exit(1)
}

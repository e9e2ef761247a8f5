// Command promapp is a test peer for gostats-relay: a Go service exposing its runtime the two common ways,
// Prometheus client_golang's promhttp.Handler() at /metrics (default registry: Go and process collectors) and the
// standard library's expvar at /debug/vars.
//
// Extra endpoints for tests (they never read the runtime themselves):
//
//	GET /debug/last?path=/metrics  the exact bytes of the most recent reply of that path, with its Content-Type
//	                               (404 before the first)
//	GET /healthz                   200 "ok"
//
// Flags:
//
//	-listen ADDR     address to listen on (default ":9100")
//	-ports RANGES    comma-separated [host:]lo-hi port ranges to listen on instead (one process serving many
//	                 targets: the benchmark); every port serves the same handlers, so all share one runtime
//	-extra           publish goroutines, gomaxprocs and cgo_calls as expvars (the common idiom)
//	-goroutines N    start N extra goroutines that block forever
//	-churn           allocate garbage continuously so that GCs happen
//
// Build in GOPATH mode against Debian's golang-github-prometheus-client-golang-dev, with statsapp's module linked
// as <dir>/src/gostatsapp for its ports package (PromappResource.build does this):
//
//	GO111MODULE=off GOPATH=<dir>:/usr/share/gocode go build -o promapp .
package main

import (
	"bytes"
	"expvar"
	"flag"
	"log"
	"net"
	"net/http"
	"runtime"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus/promhttp"

	"gostatsapp/ports"
)

// served keeps the last reply of each wrapped path.
type served struct {
	mu   sync.Mutex
	last map[string]reply
}

type reply struct {
	contentType string
	body        []byte
}

// tee is a ResponseWriter that keeps a copy of what it writes.
type tee struct {
	http.ResponseWriter
	buf    bytes.Buffer
	status int
}

func (t *tee) WriteHeader(code int) {
	t.status = code
	t.ResponseWriter.WriteHeader(code)
}

func (t *tee) Write(p []byte) (int, error) {
	t.buf.Write(p)
	return t.ResponseWriter.Write(p)
}

func (s *served) wrap(path string, h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		t := &tee{ResponseWriter: w, status: http.StatusOK}
		h.ServeHTTP(t, r)
		if t.status == http.StatusOK {
			s.mu.Lock()
			s.last[path] = reply{contentType: w.Header().Get("Content-Type"), body: t.buf.Bytes()}
			s.mu.Unlock()
		}
	})
}

func (s *served) handleLast(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	rep, ok := s.last[r.URL.Query().Get("path")]
	s.mu.Unlock()
	if !ok {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", rep.contentType)
	w.Write(rep.body)
}

func main() {
	listen := flag.String("listen", ":9100", "address to listen on")
	extra := flag.Bool("extra", false, "publish goroutines, gomaxprocs and cgo_calls as expvars")
	goroutines := flag.Int("goroutines", 0, "extra goroutines that block forever")
	churn := flag.Bool("churn", false, "allocate garbage continuously")
	portRanges := flag.String("ports", "", "[host:]lo-hi port ranges to listen on instead of -listen")
	flag.Parse()

	if *extra {
		expvar.Publish("goroutines", expvar.Func(func() interface{} { return runtime.NumGoroutine() }))
		expvar.Publish("gomaxprocs", expvar.Func(func() interface{} { return runtime.GOMAXPROCS(0) }))
		expvar.Publish("cgo_calls", expvar.Func(func() interface{} { return runtime.NumCgoCall() }))
	}
	block := make(chan struct{})
	for i := 0; i < *goroutines; i++ {
		go func() { <-block }()
	}
	if *churn {
		go func() {
			var keep [][]byte
			for {
				keep = append(keep, make([]byte, 64<<10))
				if len(keep) > 64 {
					keep = nil
				}
				time.Sleep(2 * time.Millisecond)
			}
		}()
	}

	s := &served{last: map[string]reply{}}
	mux := http.NewServeMux()
	mux.Handle("/metrics", s.wrap("/metrics", promhttp.Handler()))
	mux.Handle("/debug/vars", s.wrap("/debug/vars", expvar.Handler()))
	mux.HandleFunc("/debug/last", s.handleLast)
	mux.HandleFunc("/healthz", func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("ok")) })
	if *portRanges == "" {
		log.Printf("promapp listening on %s", *listen)
		log.Fatal(http.ListenAndServe(*listen, mux))
	}
	addrs, err := ports.Expand(*portRanges, "")
	if err != nil {
		log.Fatalf("-ports: %v", err)
	}
	// bind every port before serving any, so that the last port answering means all do (as statsapp)
	listeners := make([]net.Listener, 0, len(addrs))
	for _, a := range addrs {
		l, err := net.Listen("tcp", a)
		if err != nil {
			log.Fatalf("listen %s: %v", a, err)
		}
		listeners = append(listeners, l)
	}
	log.Printf("promapp listening on %d ports (%s)", len(listeners), *portRanges)
	srv := &http.Server{Handler: mux}
	for _, l := range listeners[1:] {
		go func(l net.Listener) { log.Fatal(srv.Serve(l)) }(l)
	}
	log.Fatal(srv.Serve(listeners[0]))
}

// Package ports reads the port ranges of statsapp's and statsload's -ports flag.
package ports

import (
	"fmt"
	"strconv"
	"strings"
)

// Expand turns comma-separated "[host:]lo-hi" ranges (or single ports) into "host:port" addresses; a range
// without a host gets defaultHost.
func Expand(spec, defaultHost string) ([]string, error) {
	var out []string
	for _, r := range strings.Split(spec, ",") {
		if r = strings.TrimSpace(r); r == "" {
			continue
		}
		host := defaultHost
		if i := strings.LastIndex(r, ":"); i >= 0 {
			host, r = r[:i], r[i+1:]
		}
		lo, hi, found := strings.Cut(r, "-")
		if !found {
			hi = lo
		}
		from, err1 := strconv.Atoi(lo)
		to, err2 := strconv.Atoi(hi)
		if err1 != nil || err2 != nil || from < 1 || to > 65535 || from > to {
			return nil, fmt.Errorf("%q is not a port range lo-hi within 1-65535", r)
		}
		for p := from; p <= to; p++ {
			out = append(out, host+":"+strconv.Itoa(p))
		}
	}
	return out, nil
}

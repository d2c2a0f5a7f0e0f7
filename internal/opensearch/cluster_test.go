package opensearch

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"sync/atomic"
	"testing"
)

// The tests run against a real OpenSearch cluster: the one
// FOLIO_OPENSEARCH_URLS names, or else a node that TestMain starts with
// testcluster/start.sh (Java and Maven needed) and stops at the end.
// Without Java or Maven the tests skip, unless FOLIO_OPENSEARCH_REQUIRED
// is set (as CI sets it): then they fail.
var (
	clusterURLs []string
	skipReason  string // why there is no cluster, when Java or Maven is missing
	startErr    error  // start.sh failed though Java and Maven are here
)

func TestMain(m *testing.M) {
	stop := setUpCluster()
	code := m.Run()
	stop()
	os.Exit(code)
}

func setUpCluster() (stop func()) {
	if urls := os.Getenv("FOLIO_OPENSEARCH_URLS"); urls != "" {
		clusterURLs = strings.Split(urls, ",")
		return func() {}
	}
	for _, tool := range []string{"java", "mvn"} {
		if _, err := exec.LookPath(tool); err != nil {
			skipReason = "no OpenSearch cluster: " + tool + " is not installed and FOLIO_OPENSEARCH_URLS is not set"
			if os.Getenv("FOLIO_OPENSEARCH_REQUIRED") != "" {
				startErr, skipReason = errors.New(skipReason), ""
			}
			return func() {}
		}
	}
	port, err := freePorts()
	if err != nil {
		startErr = err
		return func() {}
	}
	p := fmt.Sprint(port)
	cmd := exec.Command("testcluster/start.sh", "1", p)
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	if err := cmd.Run(); err != nil {
		startErr = fmt.Errorf("testcluster/start.sh 1 %s: %w", p, err)
		return func() {}
	}
	clusterURLs = []string{"http://127.0.0.1:" + p}
	return func() {
		if err := exec.Command("testcluster/stop.sh", p).Run(); err != nil {
			fmt.Fprintln(os.Stderr, "testcluster/stop.sh:", err)
		}
	}
}

// freePorts finds a port p free for HTTP with p+100 free for the
// transport, as start.sh lays them out.
func freePorts() (int, error) {
	for range 20 {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return 0, err
		}
		p := l.Addr().(*net.TCPAddr).Port
		l.Close()
		if p+100 > 65535 {
			continue
		}
		if l2, err := net.Listen("tcp", fmt.Sprintf("127.0.0.1:%d", p+100)); err == nil {
			l2.Close()
			return p, nil
		}
	}
	return 0, fmt.Errorf("no free pair of ports for a test cluster")
}

var indexes atomic.Int64

// openTest opens the engine on a fresh index of the test cluster, deleted
// when the test ends.
func openTest(t *testing.T) *Engine {
	t.Helper()
	if skipReason != "" {
		t.Skip(skipReason)
	}
	if startErr != nil {
		t.Fatal(startErr)
	}
	name := fmt.Sprintf("folio-test-%d-%d", os.Getpid(), indexes.Add(1))
	e, err := Open(context.Background(), Config{URLs: clusterURLs, Index: name})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		req, _ := http.NewRequest(http.MethodDelete, clusterURLs[0]+"/"+name, nil)
		if res, err := http.DefaultClient.Do(req); err == nil {
			res.Body.Close()
		}
	})
	return e
}

// Command pubsub-fake serves the in-memory Pub/Sub fake of the Google Cloud Go client
// (cloud.google.com/go/pubsub/v2/pstest) on a loopback address, so the ingest-gcp service
// and its integration tests can run streaming pull against a real gRPC Pub/Sub API without
// contacting Google. Clients reach it with PUBSUB_EMULATOR_HOST=127.0.0.1:<port> or an
// explicit API endpoint and no credentials.
//
// Topics, subscriptions and messages live in memory and are lost when the process stops.
// The process runs until SIGTERM or SIGINT.
package main

import (
	"flag"
	"fmt"
	"log"
	"os"
	"os/signal"
	"strconv"
	"syscall"

	"cloud.google.com/go/pubsub/v2/pstest"
)

const (
	host        = "127.0.0.1"
	defaultPort = 8085
	portEnv     = "CIEM_LOCAL_PUBSUB_PORT"
)

// portFromEnv returns the port named by CIEM_LOCAL_PUBSUB_PORT, or the default when unset.
func portFromEnv() (int, error) {
	text := os.Getenv(portEnv)
	if text == "" {
		return defaultPort, nil
	}
	port, err := strconv.Atoi(text)
	if err != nil || port < 1 || port > 65535 {
		return 0, fmt.Errorf("%s must be a TCP port number from 1 to 65535, got %q", portEnv, text)
	}
	return port, nil
}

func main() {
	log.SetFlags(log.LstdFlags | log.LUTC)
	log.SetPrefix("pubsub-fake: ")

	envPort, err := portFromEnv()
	if err != nil {
		log.Fatal(err)
	}
	port := flag.Int("port", envPort, "TCP port on "+host+" to listen on (default from "+portEnv+", else 8085)")
	flag.Parse()
	if *port < 1 || *port > 65535 {
		log.Fatalf("-port must be a TCP port number from 1 to 65535, got %d", *port)
	}

	// Stop on the first signal. The handler is installed before the server starts, so a
	// signal sent right after start still closes the listener cleanly.
	signals := make(chan os.Signal, 1)
	signal.Notify(signals, syscall.SIGTERM, syscall.SIGINT)

	// pstest panics with a message naming the address when it cannot listen (port in use).
	server := pstest.NewServerWithAddress(fmt.Sprintf("%s:%d", host, *port))
	log.Printf("listening on %s", server.Addr)

	received := <-signals
	log.Printf("received %s; stopping", received)
	if err := server.Close(); err != nil {
		log.Printf("close failed: %v", err)
		os.Exit(1)
	}
	log.Printf("stopped")
}

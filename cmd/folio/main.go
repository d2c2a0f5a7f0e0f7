// Command folio ingests news articles into a full-text index and serves
// ranked, faceted, highlighted search over it as a JSON API and a web page.
package main

import (
	"errors"
	"fmt"
	"os"

	"github.com/spf13/cobra"

	"github.com/folio-search/folio/internal/config"
)

var rootCmd = &cobra.Command{
	Use:           "folio",
	Short:         "Full-text search for news archives",
	SilenceUsage:  true,
	SilenceErrors: true,
}

func init() {
	rootCmd.PersistentFlags().String("config", "", "configuration file (default: ./config.yaml if present)")
	rootCmd.PersistentFlags().String("data-dir", "", "directory that holds the index (config key data_dir)")
}

// loadConfig reads the configuration for cmd, honouring --config and any
// flags of cmd that map to configuration keys.
func loadConfig(cmd *cobra.Command) (*config.Config, error) {
	file, _ := cmd.Flags().GetString("config")
	// Viper takes a bound flag's value only when it was set on the command
	// line, so unset flags never shadow config.yaml or the environment.
	cfg, err := config.Load(file, cmd.Flags())
	if err != nil {
		return nil, err
	}
	for _, w := range cfg.Warnings {
		fmt.Fprintln(os.Stderr, "folio: warning:", w)
	}
	return cfg, nil
}

// exitError carries a process exit code out of a command.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string { return e.err.Error() }

func main() {
	if err := rootCmd.Execute(); err != nil {
		code := 1
		var ee *exitError
		if errors.As(err, &ee) {
			code = ee.code
		}
		if err.Error() != "" {
			fmt.Fprintln(os.Stderr, "folio:", err)
		}
		os.Exit(code)
	}
}

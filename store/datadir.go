package store

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
)

// DefaultDataDir returns the default data folder of the embedded store (the
// default of TALENTBOT_DATA): "talentbot" in the user's data directory, that
// is $XDG_DATA_HOME (else ~/.local/share) on Linux and other Unix systems,
// ~/Library/Application Support on macOS and %AppData% on Windows.
func DefaultDataDir() (string, error) {
	switch runtime.GOOS {
	case "darwin", "ios", "windows", "plan9", "android":
		dir, err := os.UserConfigDir()
		if err != nil {
			return "", fmt.Errorf("store: no default data folder (set TALENTBOT_DATA): %w", err)
		}
		return filepath.Join(dir, "talentbot"), nil
	}
	if dir := os.Getenv("XDG_DATA_HOME"); filepath.IsAbs(dir) {
		return filepath.Join(dir, "talentbot"), nil
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return "", fmt.Errorf("store: no default data folder (set TALENTBOT_DATA): %w", err)
	}
	return filepath.Join(home, ".local", "share", "talentbot"), nil
}

//go:build !linux

package testsupport

import "os/exec"

// dieWithParent needs Linux; elsewhere StopS3 alone stops the server.
func dieWithParent(*exec.Cmd) {}

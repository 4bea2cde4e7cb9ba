import ArgumentParser
import Glibc

/// Prints one line to stderr and returns exit status 1: how every command reports bad input.
func fail(_ message: String) -> ExitCode {
    writeErr("xcomposer: " + message)
    return ExitCode(1)
}

/// Writes text to stdout immediately (generation streams piece by piece), unbuffered.
func writeOut(_ text: String) { writeAll(1, text) }

/// Writes a line to stderr.
func writeErr(_ text: String) { writeAll(2, text + "\n") }

private func writeAll(_ descriptor: Int32, _ text: String) {
    var text = text
    text.withUTF8 { bytes in
        var offset = 0
        while offset < bytes.count {
            let written = write(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
            if written < 0 { if errno == EINTR { continue } else { return } }
            offset += written
        }
    }
}

import Foundation
import ImageIO
import Testing

extension BinaryTests {
/// The terminal app as a person uses it: the real release binary with the real default model,
/// inside tmux, typed at with send-keys and read back with capture-pane.
@Suite(.serialized, .enabled(if: BinaryRunner.available && BinaryRunner.defaultModelPresent && TmuxSession.available))
struct TerminalAppTests {
    let binary = BinaryRunner.binaryPath ?? "xcomposer"

    func start(_ session: TmuxSession, arguments: String = "") throws {
        try session.type("\(shellQuoted(binary)) \(arguments)")
        try session.press("Enter")
        // The status line's right side shows the context once the model is loaded.
        try session.waitFor(timeout: 60, "the model to load") { $0.contains("· ctx ") }
    }

    /// Quits with Ctrl-Q and checks the shell got its terminal back: the prompt returns and the
    /// line discipline echoes and edits again.
    func quitAndCheckShell(_ session: TmuxSession) throws {
        try session.press("C-q")
        try session.waitFor(timeout: 10, "the shell prompt after quitting") { $0.contains("PROMPT$") }
        try session.type("echo back-$((40+2))")
        try session.press("Enter")
        let screen = try session.waitFor(timeout: 10, "the shell to answer") { $0.contains("back-42") }
        #expect(screen.contains("echo back-$((40+2))"), "typed characters are echoed again")
    }

    func writeImage(_ session: TmuxSession, name: String, width: Int = 96, height: Int = 64) throws -> String {
        var pixels: [UInt8] = []
        for y in 0..<height {
            for x in 0..<width {
                pixels += [UInt8(x * 255 / max(1, width - 1)), UInt8(y * 255 / max(1, height - 1)), x < width / 2 ? 200 : 30, 255]
            }
        }
        let bytes = try PNGEncoder.encode(RGBAImage(width: width, height: height, pixels: pixels))
        let url = session.home.appendingPathComponent(name)
        try Data(bytes).write(to: url)
        return url.path
    }

    @Test func answersStreamInAndEscapeKeepsThePartialAnswer() throws {
        let session = try TmuxSession(columns: 120, rows: 40)
        try start(session, arguments: "--images symbols")
        let initial = try session.screen()
        #expect(initial.contains("F1 help"))
        #expect(initial.contains("SmolLM2") || initial.contains("smollm"), "the status line names the model")

        try session.type("/set max_tokens 400")
        try session.press("Enter")
        try session.type("Write a long story about a dragon who learns to bake bread.")
        try session.press("Enter")
        let first = try session.waitFor(timeout: 60, "the answer to start") { screen in
            screen.contains("Writing ·")
        }
        // Streaming: the answer grows between two looks at the screen.
        let later = try session.waitFor(timeout: 30, "the answer to grow") { $0 != first && $0.contains("Writing ·") }
        #expect(later.contains("You"))
        try session.press("Escape")
        let stopped = try session.waitFor(timeout: 20, "the answer to stop") { $0.contains("(stopped)") }
        #expect(stopped.contains("Ready"))
        let answerLines = stopped.split(separator: "\n").filter { $0.hasPrefix("  ") && !$0.contains("(stopped)") }
        #expect(!answerLines.isEmpty, "the partial answer stays on screen")
        try quitAndCheckShell(session)
    }

    @Test func layoutAdaptsToResizesDownToFortyByTwelve() throws {
        let session = try TmuxSession(columns: 120, rows: 40)
        try start(session, arguments: "--images symbols")
        try session.type("Say hello in five words.")
        try session.press("Enter")
        try session.waitFor(timeout: 60, "an answer") { $0.contains("Ready") && $0.contains("You") && !$0.contains("Reading prompt") }
        try session.resize(columns: 40, rows: 12)
        let small = try session.waitFor(timeout: 10, "the 40x12 layout") { screen in
            screen.split(separator: "\n", omittingEmptySubsequences: false).count >= 12 && screen.contains("›")
        }
        for line in small.split(separator: "\n") {
            #expect(line.count <= 40, "no line is wider than the terminal: \(line)")
        }
        try session.resize(columns: 30, rows: 10)
        try session.waitFor(timeout: 10, "the too-small notice") { $0.contains("Terminal too small") }
        // A storm of resizes leaves a working app.
        for (c, r) in [(50, 15), (33, 11), (140, 45), (41, 12), (90, 30), (120, 40)] {
            try session.resize(columns: c, rows: r)
        }
        let restored = try session.waitFor(timeout: 10, "the full layout again") { $0.contains("F1 help") && $0.contains("You") }
        #expect(!restored.contains("Terminal too small"))
        try quitAndCheckShell(session)
    }

    /// A photograph of the sample library `make run` installs.
    static let samplePhoto = TmuxSession.cacheHome + "/xcomposer/sample-library/chelsea.png"

    @Test(.enabled(if: FileManager.default.fileExists(atPath: samplePhoto)))
    func attachedImagesArePreviewedInColouredCells() throws {
        let session = try TmuxSession(columns: 120, rows: 40)
        try start(session, arguments: "--images symbols")
        // Dropped on the terminal as a file URI, the way file managers paste it.
        try session.paste("file://" + Self.samplePhoto)
        let screen = try session.waitFor(timeout: 10, "the image pane") { $0.contains("chelsea.png 451x300") }
        #expect(screen.contains("[1 chelsea.png]"), "the image shows as a numbered chip")
        let coloured = try session.screenWithColours()
        // 256-colour cells with block symbols: the preview is drawn in the terminal's cells.
        #expect(coloured.contains("\u{1B}[38;5;") || coloured.contains("\u{1B}[48;5;"))
        #expect(["▀", "▄", "█", "▌", "▐", "▖", "▗", "▘", "▝"].contains { coloured.contains($0) })
        // A second image, typed with an escaped space: two chips, the pane shows the newest.
        let second = try writeImage(session, name: "gradient picture.png")
        try session.type("/image \(second.replacingOccurrences(of: " ", with: "\\ "))")
        try session.press("Enter")
        let two = try session.waitFor(timeout: 10, "the second image") { $0.contains("gradient picture.png 96x64") }
        #expect(two.contains("[2 gradient picture.png]"))
        // A text-only model says it cannot see the pictures instead of making something up.
        try session.type("What is in this picture?")
        try session.press("Enter")
        try session.waitFor(timeout: 10, "the refusal") { $0.contains("cannot see") }
        try quitAndCheckShell(session)
    }

    @Test func badInputGetsANoticeAndTheSessionGoesOn() throws {
        let session = try TmuxSession(columns: 120, rows: 40)
        let corrupt = session.home.appendingPathComponent("broken.png")
        try Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, 0x49, 0x48]).write(to: corrupt)
        let binaryFile = session.home.appendingPathComponent("program.jpg")
        try Data((0..<4096).map { UInt8(truncatingIfNeeded: $0 &* 7) }).write(to: binaryFile)
        let huge = session.home.appendingPathComponent("huge.png")
        try Data(hugePNGHeader(width: 20_000, height: 20_000)).write(to: huge)
        let notModel = session.home.appendingPathComponent("notes.gguf")
        try Data("just some text\n".utf8).write(to: notModel)
        try start(session, arguments: "--images symbols")

        // Each notice is looked for in the status line (the last row), not in the echo of what was typed.
        func status(_ screen: String) -> String {
            String(screen.split(separator: "\n", omittingEmptySubsequences: false).dropLast().last ?? "")
        }
        try session.type("/image \(session.home.path)/missing.png")
        try session.press("Enter")
        try session.waitFor(timeout: 10, "the missing-file notice") { status($0).contains("missing.png: no such file") }
        try session.type("/image \(corrupt.path)")
        try session.press("Enter")
        try session.waitFor(timeout: 10, "the corrupt-file notice") { status($0).contains("broken.png: the PNG data is") }
        try session.paste(binaryFile.path)
        try session.waitFor(timeout: 10, "the binary-file notice") { status($0).contains("program.jpg: not a JPEG or PNG image") }
        try session.type("/image \(huge.path)")
        try session.press("Enter")
        try session.waitFor(timeout: 10, "the too-large notice") { status($0).contains("huge.png: the image is 20000x20000 pixels") }
        try session.type("/model \(notModel.path)")
        try session.press("Enter")
        try session.waitFor(timeout: 20, "the bad-model notice") { status($0).contains("notes.gguf:") && status($0).contains("GGUF") }
        #expect(try session.screen().contains("notes.gguf:"), "the failure is also written in the transcript")
        // The app still answers key presses after all of that.
        try session.type("/help")
        try session.press("Enter")
        try session.waitFor(timeout: 10, "the help screen") { $0.contains("Keys and commands") }
        try session.press("Escape")
        try quitAndCheckShell(session)
    }

    /// Termination signals and crashes alike give the terminal back: the shell's prompt returns
    /// and its line editing works. SIGSEGV stands for a crash in the engine (the crash handler
    /// restores the terminal, then lets the signal kill the process).
    @Test(arguments: ["TERM", "HUP", "SEGV"])
    func signalsRestoreTheTerminal(signal: String) throws {
        let session = try TmuxSession(columns: 100, rows: 30)
        let marker = "--theme dark --images symbols"
        try start(session, arguments: marker)
        try session.type("a draft")
        _ = try Process.run(URL(fileURLWithPath: "/usr/bin/pkill"), arguments: ["-\(signal)", "-f", "\(binary) \(marker)"]).waitUntilExit()
        try session.waitFor(timeout: 10, "the shell prompt after SIG\(signal)") { $0.contains("PROMPT$") }
        try session.type("echo sig-$((1+2))")
        try session.press("Enter")
        let screen = try session.waitFor(timeout: 10, "the shell to answer") { $0.contains("sig-3") }
        #expect(screen.contains("echo sig-$((1+2))"), "typed characters are echoed again")
    }
}
}

extension BinaryTests.TerminalAppTests {
    /// `--images sixel`: the picture goes to the terminal as a sixel image over the pane (tmux 3.3
    /// cannot show sixels, so the test reads the bytes the app wrote, through `pipe-pane`).
    @Test(.enabled(if: FileManager.default.fileExists(atPath: samplePhoto)))
    func sixelModeWritesTheImageAsSixels() throws {
        let session = try TmuxSession(columns: 120, rows: 40)
        let raw = session.home.appendingPathComponent("raw-output").path
        try session.tmux(["pipe-pane", "-o", "-t", session.name, "cat >> \(shellQuoted(raw))"])
        try start(session, arguments: "--images sixel")
        try session.type("/image \(Self.samplePhoto)")
        try session.press("Enter")
        try session.waitFor(timeout: 10, "the image pane title") { $0.contains("chelsea.png 451x300") }
        let bytes = session.rawOutput(at: raw, waitingForSixelIn: 10)
        let start = try #require(bytes.range(of: Data("\u{1B}P".utf8)), "a sixel DCS was written")
        let end = try #require(bytes.range(of: Data("\u{1B}\\".utf8), in: start.upperBound..<bytes.endIndex))
        let body = bytes[start.upperBound..<end.lowerBound]
        #expect(body.contains(UInt8(ascii: "q")) && body.contains(UInt8(ascii: "#")), "sixel data with colour registers")
        #expect(body.count > 1000, "a real picture, not an empty image")
        // The picture is placed with the cursor saved and restored around it.
        #expect(bytes[..<start.lowerBound].range(of: Data("\u{1B}7".utf8)) != nil)
        try quitAndCheckShell(session)
    }

    /// `kill -9` while the user types: the conversation and the draft, autosaved at most a second
    /// behind, come back with `--resume last`.
    @Test func aKilledAppLosesNothingAndResumes() throws {
        let session = try TmuxSession(columns: 100, rows: 30)
        let marker = "--theme light --images symbols"
        try start(session, arguments: marker)
        try session.type("/set max_tokens 24")
        try session.press("Enter")
        try session.type("Name three colours.")
        try session.press("Enter")
        try session.waitFor(timeout: 60, "the answer") { $0.contains("Ready") && $0.contains("You") && !$0.contains("Writing") }
        try session.type("and a draft I have not sent")
        // Autosave runs at most a second behind the last key.
        usleep(1_800_000)
        _ = try Process.run(URL(fileURLWithPath: "/usr/bin/pkill"), arguments: ["-KILL", "-f", "\(binary) \(marker)"]).waitUntilExit()
        try session.waitFor(timeout: 10, "the shell after kill -9") { $0.contains("PROMPT$") }
        // SIGKILL cannot be caught: give the terminal back by hand, as a user would with `reset`
        // (Ctrl-J, because the raw terminal does not turn Enter into a new line).
        try session.type("stty sane; printf '\\033[?1049l'; clear")
        try session.press("C-j")
        try start(session, arguments: "--resume last --images symbols")
        let resumed = try session.waitFor(timeout: 10, "the resumed conversation") {
            $0.contains("Name three colours.") && $0.contains("and a draft I have not sent")
        }
        #expect(resumed.contains("Resumed"))
        try session.press("C-l")
        try session.type("/sessions")
        try session.press("Enter")
        try session.waitFor(timeout: 10, "the list of sessions") { $0.contains("Saved conversations") && $0.contains("Name three colours.") }
        // Export: Markdown with the conversation, and JSON.
        let exports = session.home.appendingPathComponent("exports").path
        try session.press("C-l")
        try session.type("/export \(exports)")
        try session.press("Enter")
        try session.waitFor(timeout: 10, "the export") { $0.contains("Exported to") }
        let files = try FileManager.default.contentsOfDirectory(atPath: exports)
        let markdown = try #require(files.first { $0.hasSuffix(".md") })
        let text = try String(contentsOfFile: exports + "/" + markdown, encoding: .utf8)
        #expect(text.contains("## You") && text.contains("Name three colours."))
        let json = try #require(files.first { $0.hasSuffix(".json") })
        let parsed = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: exports + "/" + json)))
        #expect((parsed as? [String: Any])?["entries"] != nil)
        try quitAndCheckShell(session)
    }
}

/// A PNG whose header claims `width` x `height` (with a valid CRC) and whose data is missing: a
/// decompression bomb's shape, which must be refused from the header alone.
func hugePNGHeader(width: UInt32, height: UInt32) -> [UInt8] {
    func bigEndian(_ value: UInt32) -> [UInt8] { [UInt8(value >> 24), UInt8(value >> 16 & 255), UInt8(value >> 8 & 255), UInt8(value & 255)] }
    let body: [UInt8] = Array("IHDR".utf8) + bigEndian(width) + bigEndian(height) + [8, 6, 0, 0, 0]
    var crc: UInt32 = 0xFFFF_FFFF
    for byte in body {
        crc ^= UInt32(byte)
        for _ in 0..<8 { crc = crc & 1 != 0 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
    }
    return [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + bigEndian(13) + body + bigEndian(crc ^ 0xFFFF_FFFF)
}

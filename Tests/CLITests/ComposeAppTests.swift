import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing

extension BinaryTests {
/// The article editor as a person uses it: the real release binary, the real default model and
/// the sample library, inside tmux.
@Suite(.serialized, .enabled(if: BinaryRunner.available && BinaryRunner.defaultModelPresent && TmuxSession.available
                              && FileManager.default.fileExists(atPath: sampleLibraryFolder + "/captions.json")))
struct ComposeAppTests {
    let binary = BinaryRunner.binaryPath ?? "xcomposer"

    func launch(_ session: TmuxSession, _ arguments: String) throws {
        let db = session.home.appendingPathComponent("library.sqlite").path
        try session.type("\(shellQuoted(binary)) \(arguments) --library \(shellQuoted(sampleLibraryFolder)) --db \(shellQuoted(db))")
        try session.press("Enter")
    }

    /// Moves the cursor down until a slot is focused (its key hint shows) and returns the screen.
    func focusFirstSlot(_ session: TmuxSession) throws -> String {
        try session.press("Home")
        for _ in 0..<30 {
            let screen = try session.screen()
            if screen.contains("←/→ highlight") { return screen }
            try session.type("j")
            usleep(100_000)
        }
        throw TmuxTimeout(what: "a focused image slot", screen: try session.screen())
    }

    func quitAndCheckShell(_ session: TmuxSession) throws {
        try session.type("q")
        try session.waitFor(timeout: 10, "the shell prompt after quitting") { $0.contains("PROMPT$") }
        try session.type("echo back-$((40+2))")
        try session.press("Enter")
        try session.waitFor(timeout: 10, "the shell to answer") { $0.contains("back-42") }
    }

    @Test func composeWatchSlotsFillPickAnotherCandidateAndExport() throws {
        let session = try TmuxSession(columns: 120, rows: 40)
        try launch(session, "compose --title 'A day with a cat and a cup of coffee' --images 2 --previews symbols")
        // Paragraphs stream in first, then the slots with their captions and candidates.
        try session.waitFor(timeout: 90, "the article to be written") { $0.contains("writing the article") }
        let done = try session.waitFor(timeout: 240, "the composition to finish") { $0.contains("done in") }
        #expect(done.contains("Image 1 · after paragraph"))
        #expect(done.contains("draft saved"))
        let focused = try focusFirstSlot(session)
        #expect(focused.contains("Candidates:"))
        // The strip lists the candidates with their scores; ✓ marks the chosen one (1).
        let strip = focused.split(separator: "\n").first { $0.contains("✓1 ") }.map(String.init) ?? ""
        #expect(!strip.isEmpty, "a candidate strip with the chosen one marked")
        let names = strip.split(separator: " ").filter { $0.hasSuffix(".png") || $0.hasSuffix(".jpg") }.map(String.init)
        #expect(names.count >= 2, "at least two candidates in the strip: \(strip)")
        // The candidate pictures are drawn as coloured symbol cells.
        #expect(try session.screenWithColours().contains("\u{1B}[38;5;"))
        // Pick the second candidate with the keyboard.
        try session.press("Right")
        try session.press("Enter")
        let picked = try session.waitFor(timeout: 10, "the new choice") { $0.contains("chose 2 ") }
        let chosen = names.count >= 2 ? names[1] : ""
        #expect(picked.contains("chose 2 \(chosen)"))
        // Export, and check what was written.
        let out = session.home.appendingPathComponent("exported/cat-day.md").path
        try session.type("/")
        try session.type("export \(out)")
        try session.press("Enter")
        try session.waitFor(timeout: 20, "the export") { $0.contains("wrote ") }
        let markdown = try String(contentsOfFile: out, encoding: .utf8)
        #expect(markdown.hasPrefix("# A day with a cat and a cup of coffee"))
        #expect(markdown.contains("cat-day-assets/1-\(chosen)"), "the picked candidate is the first picture")
        let assets = try FileManager.default.contentsOfDirectory(atPath: session.home.appendingPathComponent("exported/cat-day-assets").path)
        #expect(assets.contains("1-\(chosen)"))
        let html = try Data(contentsOf: URL(fileURLWithPath: session.home.appendingPathComponent("exported/cat-day.html").path))
        let parser = XMLParser(data: html)
        #expect(parser.parse(), "the HTML is well-formed: \(parser.parserError.map { "\($0)" } ?? "")")
        try quitAndCheckShell(session)
    }

    /// `kill -9` while the model is still composing, right after an edit: the draft reopens with
    /// the edit and every paragraph shown before the kill.
    @Test func aKilledComposeReopensItsDraft() throws {
        let session = try TmuxSession(columns: 110, rows: 36)
        let marker = "--paragraphs 4 --previews ascii"
        try launch(session, "compose --title 'Rockets and the moon' \(marker)")
        let written = try session.waitFor(timeout: 120, "a first paragraph") { screen in
            screen.contains("choosing where images go") || screen.contains("captioning") || screen.contains("Image 1")
        }
        let rows = written.split(separator: "\n").map(String.init)
        let titleRow = rows.firstIndex { $0.contains("Rockets and the moon") && !$0.contains("XComposer") } ?? 0
        let firstParagraph = rows.dropFirst(titleRow + 1).first { $0.hasPrefix("  ") && $0.count > 20 }?
            .trimmingCharacters(in: .whitespaces) ?? ""
        #expect(!firstParagraph.isEmpty, "a paragraph is on screen:\n\(written)")
        // Edit the title while the model works.
        try session.press("Home")
        try session.type("e")
        try session.press("End")
        try session.type(" (my edit)")
        try session.press("Enter")
        try session.waitFor(timeout: 5, "the edited title") { $0.contains("Rockets and the moon (my edit)") }
        usleep(1_200_000)  // autosave is at most half a second behind
        _ = try Process.run(URL(fileURLWithPath: "/usr/bin/pkill"), arguments: ["-KILL", "-f", "xcomposer compose --title Rockets and the moon \(marker)"]).waitUntilExit()
        try session.waitFor(timeout: 10, "the shell after kill -9") { $0.contains("PROMPT$") }
        try session.type("stty sane; printf '\\033[?1049l'; clear")
        try session.press("C-j")
        // Only once the shell has settled: text typed ahead of `clear` would be wiped from view.
        try session.waitFor(timeout: 10, "a clear screen") { $0.trimmingCharacters(in: .whitespacesAndNewlines) == "PROMPT$" }
        try launch(session, "compose --resume last --previews ascii")
        let reopened = try session.waitFor(timeout: 30, "the reopened draft") {
            $0.contains("Rockets and the moon (my edit)") && $0.contains("opened draft")
        }
        let words = firstParagraph.split(separator: " ").prefix(4).joined(separator: " ")
        #expect(reopened.contains(words), "the first paragraph came back: \(words)")
        try session.type("/")
        try session.type("drafts")
        try session.press("Enter")
        try session.waitFor(timeout: 10, "the drafts list") { $0.contains("Drafts:") && $0.contains("Rockets and the moon (my edit)") }
        try session.press("Escape")
        try session.waitFor(timeout: 10, "the drafts list to close") { !$0.contains("Drafts:") }
        try quitAndCheckShell(session)
    }

    /// `--previews sixel`: the pictures wholly in view go to the terminal as sixel images (tmux
    /// cannot show them, so the test reads the bytes the app wrote through `pipe-pane`).
    @Test func sixelPreviewsAreWrittenForPicturesInView() throws {
        let session = try TmuxSession(columns: 100, rows: 32)
        let raw = session.home.appendingPathComponent("raw-output").path
        try session.tmux(["pipe-pane", "-o", "-t", session.name, "cat >> \(shellQuoted(raw))"])
        let file = session.home.appendingPathComponent("cat.md").path
        try "# A cat\n\nA cat on a sofa.\n\n![the cat](\(sampleLibraryFolder)/chelsea.png)\n"
            .write(toFile: file, atomically: true, encoding: .utf8)
        try launch(session, "edit \(shellQuoted(file)) --previews sixel")
        try session.waitFor(timeout: 30, "the article") { $0.contains("A cat on a sofa.") && $0.contains("Image 1") }
        let bytes = session.rawOutput(at: raw, waitingForSixelIn: 10)
        let start = try #require(bytes.range(of: Data("\u{1B}P".utf8)), "a sixel DCS was written")
        let end = try #require(bytes.range(of: Data("\u{1B}\\".utf8), in: start.upperBound..<bytes.endIndex))
        let body = bytes[start.upperBound..<end.lowerBound]
        #expect(body.contains(UInt8(ascii: "q")) && body.contains(UInt8(ascii: "#")), "sixel data with colour registers")
        #expect(body.count > 1000, "a real picture, not an empty image")
        try quitAndCheckShell(session)
    }

    /// `xcomposer edit FILE.md` opens an article written elsewhere, pictures in place; a new
    /// paragraph typed in is saved back with Ctrl-S.
    @Test func editOpensAMarkdownArticleAndSavesItBack() throws {
        let session = try TmuxSession(columns: 100, rows: 32)
        let file = session.home.appendingPathComponent("notes.md").path
        try "# Coffee notes\n\nA strong cup in the morning.\n\n![a cup of coffee](\(sampleLibraryFolder)/coffee.png)\n\nThe end.\n"
            .write(toFile: file, atomically: true, encoding: .utf8)
        try launch(session, "edit \(shellQuoted(file)) --previews symbols")
        let opened = try session.waitFor(timeout: 30, "the article") { $0.contains("Coffee notes") && $0.contains("Image 1") }
        #expect(opened.contains("a cup of coffee"))
        #expect(opened.contains("A strong cup in the morning."))
        // Small and too-small terminals, and a storm of resizes, then back.
        try session.resize(columns: 40, rows: 12)
        let small = try session.waitFor(timeout: 10, "the 40x12 editor") { $0.contains("Coffee notes") }
        #expect(small.split(separator: "\n").allSatisfy { $0.count <= 40 }, "nothing wider than 40 columns")
        try session.resize(columns: 30, rows: 10)
        try session.waitFor(timeout: 10, "the too-small notice") { $0.contains("Terminal too small") }
        for size in [(50, 14), (90, 30), (41, 12), (120, 40), (60, 20)] { try session.resize(columns: size.0, rows: size.1) }
        try session.resize(columns: 100, rows: 32)
        try session.waitFor(timeout: 10, "the editor after the storm") { $0.contains("Coffee notes") && $0.contains("Image 1") }
        try session.press("Home")
        try session.type("j")
        try session.type("o")
        try session.type("Typed in the editor.")
        try session.press("Enter")
        try session.press("C-s")
        try session.waitFor(timeout: 10, "the save") { $0.contains("wrote ") }
        let saved = try String(contentsOfFile: file, encoding: .utf8)
        let order = ["A strong cup in the morning.", "notes-assets/1-coffee.png", "Typed in the editor.", "The end."]
            .map { saved.range(of: $0)?.lowerBound }
        #expect(order.allSatisfy { $0 != nil } && order.map { $0! } == order.map { $0! }.sorted(), "saved in order:\n\(saved)")
        try quitAndCheckShell(session)
    }
}
}

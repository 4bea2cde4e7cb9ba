import Foundation
import Testing

extension BinaryTests {
/// The chat screen with an XComposer model: the tiny checkpoint converted by `xcomposer convert`
/// takes an attached photo, reads it and answers (gibberish, from random weights), instead of
/// the text-only models' "cannot see" refusal.
@Suite(.serialized, .enabled(if: BinaryRunner.available && TmuxSession.available))
struct ImageChatTests {
    static let fixture = BinaryRunner.repositoryRoot.appendingPathComponent("Tests/SharedFixtures/xcomposer-tiny")

    @Test func theTinyXComposerAnswersAboutAnAttachedPhoto() throws {
        let session = try TmuxSession(columns: 120, rows: 40)
        let model = session.home.appendingPathComponent("tiny.gguf").path
        let converted = try BinaryRunner.run(["convert", Self.fixture.appendingPathComponent("checkpoint-bin").path,
                                              model, "--type", "f32"])
        #expect(converted.status == 0, "\(converted.stderr)")
        try session.type("\(shellQuoted(BinaryRunner.binaryPath ?? "xcomposer")) -m \(shellQuoted(model)) --images symbols")
        try session.press("Enter")
        try session.waitFor(timeout: 60, "the model to load") { $0.contains("· ctx ") }

        try session.type("/set max_tokens 12")
        try session.press("Enter")
        let photo = Self.fixture.appendingPathComponent("images/rocket.jpg").path
        try session.type("/image \(photo)")
        try session.press("Enter")
        try session.waitFor(timeout: 10, "the attachment") { $0.contains("[1 rocket.jpg]") }
        try session.type("What is in this picture?")
        try session.press("Enter")
        // Ready again with a finished reply's speed: the answer was generated and streamed.
        let answered = try session.waitFor(timeout: 60, "the answer") { screen in
            screen.contains("What is in this picture?") && screen.contains("last reply")
        }
        #expect(!answered.contains("cannot see"))
        #expect(!answered.contains("reads text only"))
        #expect(!answered.contains("Failed:"), "\(answered)")
        try session.press("C-q")
        try session.waitFor(timeout: 10, "the shell prompt after quitting") { $0.contains("PROMPT$") }
    }
}
}

/// The lines of the help overlay: every bound key with its action, then the slash commands.
public enum HelpScreen {
    public static func lines(bindings: KeyBindings, imageModeReason: String? = nil) -> [String] {
        var lines: [String] = []
        let described: [(EditorAction, String)] = [
            (.submit, "send the question"), (.newline, "new line in the question"),
            (.cancel, "stop the answer (keeps what was written)"), (.quit, "quit (or Ctrl-C twice)"),
            (.help, "this help (also ? in an empty prompt)"), (.complete, "complete a file path"),
            (.historyOlder, "earlier question"), (.historyNewer, "later question"),
            (.pageUp, "scroll up a page"), (.pageDown, "scroll down a page"),
            (.scrollUp, "scroll up a line"), (.scrollDown, "scroll down a line"),
            (.scrollTop, "scroll to the top"), (.scrollBottom, "scroll to the end"),
            (.regenerate, "answer the last question again"), (.newSession, "new conversation"),
            (.nextImage, "show the next image"), (.previousImage, "show the previous image"),
            (.toggleImagePane, "hide or show the image pane"), (.undo, "undo typing"), (.redo, "redo typing"),
            (.clearInput, "clear the question and its images"),
        ]
        for (action, text) in described {
            let chords = bindings.chords(for: action).map(\.description)
            guard !chords.isEmpty else { continue }
            lines.append(TextTruncation.padded(chords.joined(separator: ", "), toWidth: 22) + text)
        }
        lines.append("")
        for summary in SlashCommand.summaries {
            lines.append(TextTruncation.padded(summary.usage, toWidth: 22) + summary.help)
        }
        lines.append("")
        lines.append("Mouse wheel scrolls. Hold Shift to select text with the mouse.")
        if let imageModeReason { lines.append("Images: \(imageModeReason)") }
        return lines
    }
}

/// The parts of the screen a theme gives colours to. Theme files name them by `rawValue`.
public enum ColorRole: String, Sendable, CaseIterable {
    /// Ordinary text and the screen's background.
    case text
    /// Secondary text: timestamps, hints, placeholders.
    case dim
    /// Pane borders and separators.
    case border
    /// The focused pane's border and titles.
    case accent
    /// The user's turns in the transcript.
    case user
    /// The model's turns in the transcript.
    case assistant
    /// Markdown headings.
    case heading
    /// Inline code and code blocks.
    case code
    /// Emphasised text (`*like this*`).
    case emphasis
    /// The status line along the bottom.
    case status
    /// Attached-image chips (`[1 cat.png]`).
    case chip
    /// Selected text and the highlighted list entry.
    case selection
    /// Errors and refusals.
    case error
    /// Warnings and notices.
    case warning
    /// Progress bars.
    case progress
}

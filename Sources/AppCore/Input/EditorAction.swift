/// What a key can do in the chat screen. Key-binding files name actions by `rawValue`.
public enum EditorAction: String, Sendable, CaseIterable {
    case submit, newline, cancel, quit, help
    case scrollUp, scrollDown, pageUp, pageDown, scrollTop, scrollBottom
    case complete, historyOlder, historyNewer, undo, redo, clearInput
    case regenerate, newSession, nextImage, previousImage, toggleImagePane
    case killToLineEnd, killToLineStart, deleteWordBackward
    case wordLeft, wordRight, lineStart, lineEnd
    case moveLeft, moveRight, deleteBackward, deleteForward

    /// A short description for the help screen.
    public var summary: String {
        switch self {
        case .submit: "Send the prompt"
        case .newline: "Insert a line break"
        case .cancel: "Stop generating, or close a dialog"
        case .quit: "Quit"
        case .help: "Show the keys"
        case .scrollUp: "Scroll the conversation up a line"
        case .scrollDown: "Scroll the conversation down a line"
        case .pageUp: "Scroll the conversation up a page"
        case .pageDown: "Scroll the conversation down a page"
        case .scrollTop: "Go to the start of the conversation"
        case .scrollBottom: "Go to the end of the conversation"
        case .complete: "Complete a file path"
        case .historyOlder: "Previous prompt (from the first line)"
        case .historyNewer: "Next prompt (from the last line)"
        case .undo: "Undo an edit"
        case .redo: "Redo an edit"
        case .clearInput: "Clear the prompt"
        case .regenerate: "Regenerate the last answer"
        case .newSession: "Start a new conversation"
        case .nextImage: "Show the next image"
        case .previousImage: "Show the previous image"
        case .toggleImagePane: "Show or hide the image pane"
        case .killToLineEnd: "Delete to the end of the line"
        case .killToLineStart: "Delete to the start of the line"
        case .deleteWordBackward: "Delete the word before the cursor"
        case .wordLeft: "Move a word left"
        case .wordRight: "Move a word right"
        case .lineStart: "Go to the start of the line"
        case .lineEnd: "Go to the end of the line"
        case .moveLeft: "Move a character left"
        case .moveRight: "Move a character right"
        case .deleteBackward: "Delete the character before the cursor"
        case .deleteForward: "Delete the character under the cursor"
        }
    }
}

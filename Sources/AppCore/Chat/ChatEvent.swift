import Engine
import Tokenizers

/// A key press or paste, as the terminal layer decodes it.
public enum KeyInput: Sendable, Equatable {
    /// Printable text typed by the user (one or more characters).
    case text(String)
    /// A special or modified key.
    case chord(KeyChord)
    /// A bracketed paste: inserted as it is, never interpreted as keys.
    case paste(String)
    /// The mouse wheel.
    case wheel(up: Bool)
}

/// Everything that can change the chat screen's state.
public enum ChatEvent: Sendable, Equatable {
    case key(KeyInput)
    /// An event of the running request.
    case engine(EngineEvent)
    /// Model loading progress.
    case modelLoading(fraction: Double, detail: String)
    case modelReady(ModelSummary)
    case modelFailed(String)
    /// The model side is reading the reply's images before its prompt: `done` of `total` encoded.
    case imageProgress(done: Int, total: Int)
    /// The terminal changed size.
    case resized(columns: Int, rows: Int)
    /// Time passes (for notices that expire and the Ctrl-C window); carries the process memory.
    case tick(residentBytes: Int?)
    /// Ctrl-C, from the keyboard or SIGINT.
    case interrupt
    /// The autosave stored the conversation under this id.
    case sessionSaved(id: Int64)
    /// The answer to `/sessions`.
    case sessionsListed([SessionListing])
    /// A saved conversation to carry on with (`/resume`).
    case sessionOpened(SessionContent)
    /// `/export` wrote these files.
    case exported([String])
    /// Saving, listing, opening or exporting failed; one line naming the file.
    case storageFailed(String)
}

/// What the state asks the outside world to do after an event.
public enum ChatEffect: Sendable, Equatable {
    /// Run the conversation through the model and stream the reply back as `.engine` events.
    /// `images[k]` are the paths of the images attached to the k-th user message (empty for a
    /// turn without any); the model side reads them only if it can see images.
    case generate(messages: [ChatMessage], parameters: GenerationParameters, images: [[String]] = [])
    /// Stop the running reply before its next token.
    case cancelGeneration
    /// Replace the model with the one at this path.
    case loadModel(path: String)
    /// Leave the program.
    case quit
    /// Store the conversation (autosave: after every turn and edit, at most a second behind).
    case save(SessionContent)
    case listSessions
    case openSession(id: Int64)
    /// Export the conversation to Markdown and JSON in this folder (nil: the current folder).
    case export(SessionContent, directory: String?)
}

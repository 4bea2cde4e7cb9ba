import Composer

/// A saved article draft as `/drafts` lists it.
public struct DraftListing: Sendable, Equatable {
    public var id: Int64
    public var title: String
    public var paragraphCount: Int
    public var imageCount: Int
    /// Seconds since 1970 of the last save.
    public var updatedAt: Double
    /// The Markdown file the draft was opened from, if any.
    public var sourcePath: String?

    public init(id: Int64, title: String, paragraphCount: Int, imageCount: Int, updatedAt: Double, sourcePath: String?) {
        self.id = id
        self.title = title
        self.paragraphCount = paragraphCount
        self.imageCount = imageCount
        self.updatedAt = updatedAt
        self.sourcePath = sourcePath
    }
}

/// What an autosave stores: the document, which draft it is, and where it came from.
public struct DraftSnapshot: Sendable, Equatable {
    /// Identifies the document within this run (the store maps it to its row); a new document
    /// gets a new token, so it never overwrites the previous one's draft.
    public var token: Int
    /// The stored draft this document was opened from, if any.
    public var draftID: Int64?
    public var content: ArticleContent
    public var sourcePath: String?

    public init(token: Int, draftID: Int64?, content: ArticleContent, sourcePath: String?) {
        self.token = token
        self.draftID = draftID
        self.content = content
        self.sourcePath = sourcePath
    }
}

/// Everything that can change the compose screen.
public enum ComposeEvent: Sendable, Equatable {
    case key(KeyInput)
    case resized(columns: Int, rows: Int)
    /// Time passes: notices expire, autosave catches up.
    case tick
    /// Ctrl-C, from the keyboard or SIGINT.
    case interrupt
    /// The model is loaded (its name) or failed to load (why).
    case modelReady(String)
    case modelFailed(String)
    /// A step of the running job began ("writing the article", "captioning image 2").
    case step(String)
    /// How far the running job is (0...1), and what it is doing.
    case progress(fraction: Double, detail: String)
    /// The line the model is writing now, before it ends (shown live, not yet in the article).
    case liveText(String)
    /// The pipeline changed the article.
    case article(ArticleEvent)
    /// A paragraph's new text from "rewrite" (one undo step).
    case paragraphRewritten(ParagraphID, String)
    /// The running job ended; a message if it stopped short (one line).
    case jobEnded(failure: String?)
    case draftSaved(token: Int, id: Int64)
    case draftsListed([DraftListing])
    case draftOpened(id: Int64, content: ArticleContent, sourcePath: String?)
    /// A Markdown article was read (`xcomposer edit`, `/open FILE.md`).
    case markdownOpened(path: String, content: ArticleContent)
    case exported([String])
    /// `/library DIR` finished: the library now holds `total` images.
    case libraryIndexed(folder: String, total: Int, skipped: [String])
    /// Saving, listing, opening or exporting failed; one line naming the file.
    case storageFailed(String)
}

/// Work the compose screen asks of the world outside it.
public enum ComposeEffect: Sendable, Equatable {
    /// Runs the whole pipeline for a title; pipeline ids start at the given numbers.
    case compose(title: String, paragraphs: Int, images: Int?, firstParagraph: Int, firstSlot: Int)
    /// Writes a new version of the paragraph at `index` of `sections`.
    case rewrite(ParagraphID, title: String, sections: [String], index: Int)
    /// Writes one more paragraph at the end, with this pipeline id.
    case continueArticle(title: String, sections: [String], newParagraph: Int)
    /// Asks the model for a new caption for the slot after section `spot`, then searches.
    case recaption(SlotID, sections: [String], spot: Int, excluding: [String])
    /// Searches the library for a caption (skipping the images in `excluding`).
    case search(SlotID, caption: String, paragraph: String, excluding: [String])
    case cancel
    case saveDraft(DraftSnapshot)
    case listDrafts
    case openDraft(Int64)
    case openMarkdown(String)
    case export(ArticleContent, markdownPath: String)
    /// Indexes a folder into the library (incrementally), with progress as job steps.
    case indexLibrary(String)
    case quit
}

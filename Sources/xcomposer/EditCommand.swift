import ArgumentParser

/// `xcomposer edit FILE.md`: opens any Markdown article in the editor, pictures previewed in
/// place, to keep working on it with or without the model.
struct EditCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "edit",
        abstract: "Open a Markdown article in the editor: edit it, illustrate it from your library, let the model continue or rewrite.",
        discussion: "Ctrl-S saves it back (Markdown, NAME-assets/ and NAME.html); drafts are also saved as you type."
    )

    @OptionGroup var options: ModelOptions

    @Argument(help: "The Markdown file.")
    var file: String

    @Option(help: "The folder of images to illustrate with (default: every indexed image, or the sample library).")
    var library: String?

    @Option(help: "The library index file (default: the app's own).")
    var db: String?

    @Option(help: "Picture previews: auto, sixel, symbols, ascii or none.")
    var previews: String = "auto"

    @OptionGroup var screen: ScreenOptions

    func run() throws {
        try ComposeScreen(model: options, screen: screen, libraryFolder: library, db: db, previews: previews)
            .run(start: .markdown(file))
    }
}

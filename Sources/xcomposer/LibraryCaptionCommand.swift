import ArgumentParser
import Glibc
import ImageLibrary
import LanguageModels
import ModelFiles

/// `xcomposer library caption [--model M] [DIR]`: XComposer looks at every indexed picture
/// that has no caption of its own and writes one (stored as the model's, so a sidecar file or
/// an EXIF/XMP description always wins), with a progress bar on stderr.
struct LibraryCaptionCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "caption",
        abstract: "Caption the photos that have no caption, with an XComposer model looking at them.",
        discussion: """
        Only photos without a caption from a sidecar file, captions.json, EXIF or XMP are captioned; \
        those captions are stored as the model's and a caption file found later replaces them.
        """
    )

    @Argument(help: "Index this folder first and caption only its photos (default: every indexed photo).")
    var folder: String?

    @OptionGroup var options: ModelOptions

    @OptionGroup var database: LibraryDatabaseOption

    @Flag(help: "Caption again the photos a model captioned before.")
    var again = false

    @Flag(help: "Print each caption and the model's raw reply to stderr.")
    var verbose = false

    func run() async throws {
        // The model first: a text model is refused before anything is indexed.
        let model: ComposeModel
        do throws(LoadFailure) {
            model = try ComposeModel.load(.init(modelPath: options.modelPath, threads: options.threads,
                                                context: options.requestedContext, numerics: options.numerics))
        } catch {
            throw fail(error.message)
        }
        defer { model.engine.shutdown() }
        guard let captioner = model.captioner else {
            throw fail("\(ModelLoader.displayName(options.modelPath)) has no vision tower: captions need an XComposer model")
        }
        let bar = ScanProgressBar(enabled: isatty(2) == 1)
        // Indexing progress goes to the bar (nowhere when stderr is not a terminal); skipped files are logged.
        var loader = LibraryLoader(db: database.path, log: { writeErr("xcomposer: " + $0) })
        loader.progress = { bar.show($0) }
        let index: LibraryIndex
        let images: [LibraryImage]
        do {
            index = try loader.openIndex()
            if let folder {
                images = try loader.images(in: folder)
            } else {
                do { images = try index.all() } catch { throw LoadFailure(error.description) }
            }
        } catch let failure as LoadFailure {
            bar.clear()
            throw fail(failure.message)
        }
        bar.clear()
        let todo = LibraryCaptioner.needingCaptions(images, again: again).count
        let verbose = self.verbose
        var stored = 0
        var skipped = 0
        do {
            _ = try await captioner.captionMissing(images, in: index, again: again) { event in
                switch event {
                case let .started(current, total, path):
                    bar.show("captioning", current: current, total: total, path: path)
                case let .captioned(path, caption, raw):
                    stored += 1
                    if verbose {
                        bar.clear()
                        writeErr("xcomposer: \(path): \(caption)\n  raw reply: \(raw)")
                    }
                case let .skipped(path, why):
                    skipped += 1
                    bar.clear()
                    writeErr("xcomposer: skipped \(path): \(why)")
                }
            }
        } catch {
            bar.clear()
            throw fail("\(error)")
        }
        bar.clear()
        writeOut("captioned \(stored) of \(todo) photos without a caption (\(images.count - todo) already had one"
                 + (skipped > 0 ? ", \(skipped) skipped)\n" : ")\n"))
    }
}

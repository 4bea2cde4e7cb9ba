import ArgumentParser
import CheckpointConversion
import Glibc
import Tensors

/// `xcomposer convert`: a Hugging Face InternLM-XComposer v1 checkpoint folder (PyTorch `.bin`
/// shards or safetensors, LoRA unmerged) into one GGUF the app loads.
struct ConvertCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "convert",
        abstract: "Convert an InternLM-XComposer checkpoint folder (.bin or safetensors) to GGUF.",
        discussion: """
            Reads config.json, tokenizer.model and the weights (model.safetensors[.index.json] or \
            pytorch_model.bin[.index.json]), merges the LoRA adapters and writes one GGUF. The \
            output appears only when complete; on any error nothing is left behind.
            """
    )

    @Argument(help: "The checkpoint folder.")
    var checkpoint: String

    @Argument(help: "The GGUF to write (or give -o).")
    var outputArgument: String?

    @Option(name: [.customShort("o"), .customLong("output")], help: "The GGUF to write.")
    var output: String?

    @Option(name: .customLong("type"),
            help: "Storage type of the language model's weight matrices: f32, f16, bf16, q8_0, q4_0, q4_1, q5_0, q5_1, q4_k, q5_k, q6_k.")
    var languageType = "f16"

    @Option(name: .customLong("vision-type"), help: "Storage type of the vision and Q-Former weight matrices: f32 or f16.")
    var visionType = "f32"

    func validate() throws {
        if output != nil && outputArgument != nil {
            throw ValidationError("give the output once: as the second argument or with -o")
        }
        if output == nil && outputArgument == nil {
            throw ValidationError("missing the output file: xcomposer convert CHECKPOINT_DIR -o OUT.gguf")
        }
    }

    func run() throws {
        let start = ProcessStats.now
        let destination = output ?? outputArgument ?? ""
        let reporter = ConversionReporter(interactive: isatty(2) == 1)
        ConversionInterruption.install(partialPath: destination + ".partial")
        defer { ConversionInterruption.uninstall() }
        let summary: ConversionSummary
        do {
            let options = try ConversionOptions(languageTypeName: languageType, visionTypeName: visionType)
            summary = try CheckpointConverter.convert(
                checkpoint: checkpoint, output: destination, options: options,
                progress: { reporter.show($0) },
                warning: { reporter.warn($0) })
        } catch {
            reporter.clear()
            throw fail(error.description)
        }
        reporter.clear()
        let types = summary.typeCounts.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }.joined(separator: ", ")
        let seconds = ProcessStats.now - start
        let peak = ProcessStats.peakResidentBytes >> 20
        writeErr("wrote \(summary.outputPath): \(summary.tensorCount) tensors (\(types)) from \(summary.format.rawValue) "
                 + "weights, \(summary.mergedAdapters) LoRA adapters merged, \(summary.droppedTensors.count) buffers dropped "
                 + "(\(Int(seconds.rounded())) s, peak memory \(peak) MiB)")
    }
}

/// Progress on stderr: a bar redrawn in place when stderr is a terminal, otherwise a line
/// at every tenth of the way (logs stay short).
final class ConversionReporter {
    let interactive: Bool
    private var lastDecile = -1
    private var lastDrawn = -1
    static let width = 30

    init(interactive: Bool) { self.interactive = interactive }

    func show(_ progress: ConversionProgress) {
        let percent = Int(progress.fraction * 100)
        if interactive {
            let permille = Int(progress.fraction * 1000)
            guard permille != lastDrawn else { return }
            lastDrawn = permille
            let filled = Self.width * permille / 1000
            let bar = String(repeating: "#", count: filled) + String(repeating: "-", count: Self.width - filled)
            writeRaw("\r\u{1B}[Kconverting [\(bar)] \(percent)% \(progress.tensor)")
        } else {
            let decile = percent / 10
            guard decile > lastDecile else { return }
            lastDecile = decile
            writeErr("converting: \(decile * 10)% (\(progress.tensor))")
        }
    }

    func warn(_ message: String) {
        clear()
        writeErr("xcomposer: warning: " + message)
    }

    func clear() {
        if interactive, lastDrawn >= 0 { writeRaw("\r\u{1B}[K") }
        lastDrawn = -1
    }

    private func writeRaw(_ text: String) {
        var text = text
        text.withUTF8 { bytes in _ = write(2, bytes.baseAddress, bytes.count) }
    }
}

/// Removes the partial output when the conversion is interrupted (Ctrl-C, `kill`): the
/// library removes it on every error, but a signal ends the process before any cleanup runs.
enum ConversionInterruption {
    /// The partial file's path as a C string, read by the handler (only `unlink` and `_exit`
    /// run there: both are async-signal-safe).
    nonisolated(unsafe) private static var path: UnsafeMutablePointer<CChar>?

    static func install(partialPath: String) {
        path = strdup(partialPath)
        for sig in [SIGINT, SIGTERM, SIGHUP] {
            signal(sig) { number in
                if let path = ConversionInterruption.path { unlink(path) }
                _exit(128 + number)
            }
        }
    }

    static func uninstall() {
        for sig in [SIGINT, SIGTERM, SIGHUP] { signal(sig, SIG_DFL) }
        free(path)
        path = nil
    }
}

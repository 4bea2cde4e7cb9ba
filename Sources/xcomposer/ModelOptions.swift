import ArgumentParser
import LanguageModels
import Tensors

/// Options shared by every command that loads a model.
struct ModelOptions: ParsableArguments {
    @Option(name: [.short, .customLong("model")], help: "GGUF model file (default: the model `make run` installed).")
    var model: String?

    @Option(name: [.short, .customLong("threads")], help: "Threads for the forward pass.")
    var threads: Int = 2

    @Option(name: [.short, .customLong("context")], help: "Context length in tokens (default: up to 4096, never more than the model's).")
    var context: Int?

    @Flag(help: "Exact f32 activations and KV cache instead of llama.cpp's 8-bit activations and f16 cache (slower, nearer to exact arithmetic).")
    var precise = false

    var modelPath: String { model ?? ModelLoader.defaultModelPath }

    var numerics: Numerics { precise ? .precise : .llamaCpp }

    func validate() throws {
        guard (1...256).contains(threads) else {
            throw ValidationError("--threads must be between 1 and 256, got \(threads)")
        }
        if let context, context < 1 {
            throw ValidationError("--context must be positive, got \(context)")
        }
    }

    /// The context to ask for: the user's choice, else 4096 (the trained length caps it).
    var requestedContext: Int { context ?? 4096 }
}

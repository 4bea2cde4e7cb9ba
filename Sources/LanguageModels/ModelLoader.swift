import Glibc
import ModelFiles
import Tensors

/// Opens GGUF model files and builds the right model for their architecture.
public enum ModelLoader {
    /// Where `make run` puts the default model: `$XDG_CACHE_HOME/xcomposer` (or ~/.cache).
    public static var cacheDirectory: String {
        if let xdg = getenv("XDG_CACHE_HOME").map({ String(cString: $0) }), !xdg.isEmpty {
            return xdg + "/xcomposer"
        }
        let home = getenv("HOME").map { String(cString: $0) } ?? "."
        return home + "/.cache/xcomposer"
    }

    /// The default model's path.
    public static var defaultModelPath: String {
        cacheDirectory + "/SmolLM2-135M-Instruct.Q4_1.gguf"
    }

    /// The file name of a path, as errors show it.
    public static func displayName(_ path: String) -> String {
        path.split(separator: "/").last.map(String.init) ?? path
    }

    /// Opens and validates a GGUF file.
    public static func open(path: String) throws(ModelLoadError) -> GGUFFile {
        do {
            return try GGUFFile.open(path: path)
        } catch {
            throw .file(error)
        }
    }

    /// Opens `path` and binds a decoder to it.
    public static func loadLanguageModel(path: String, contextLength: Int?, sequenceSlots: Int,
                                         pool: ComputePool, numerics: Numerics) throws(ModelLoadError)
        -> (file: GGUFFile, model: LlamaModel)
    {
        let file = try open(path: path)
        let model = try LlamaModel(file: file, contextLength: contextLength,
                                   sequenceSlots: sequenceSlots, pool: pool, numerics: numerics)
        return (file, model)
    }
}

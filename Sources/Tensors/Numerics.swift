/// Which arithmetic the forward pass uses.
public enum Numerics: Sendable, Equatable, CustomStringConvertible {
    /// llama.cpp's own: 8-bit activations, an f16 KV cache and its exact order of operations, so
    /// that results agree with llama.cpp to the last bit on Q4_1/Q8_0 models (and closely, with
    /// the same 8-bit activations, on other types). The default: fast, and comparable.
    case llamaCpp
    /// Exact f32 activations against exactly dequantised weights and an f32 KV cache: nearer to
    /// the real-number result than llama.cpp, somewhat slower.
    case precise

    public var description: String { self == .precise ? "precise" : "llama.cpp" }
}

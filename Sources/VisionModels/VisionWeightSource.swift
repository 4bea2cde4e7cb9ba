import Tensors

/// Where the vision weights come from: a converted GGUF file, or random values of the real
/// sizes for measuring speed and memory without the checkpoint.
///
/// Matrices stay in their stored type (f32, f16 or a quantised type) as views the source keeps
/// alive, and are widened to f32 a tile at a time during each product, so the full-size tower
/// (about 1 billion parameters, 4 GB as f32) costs no more memory than its file. Vectors
/// (biases, norms, embeddings) are small and copied to f32 once.
protocol VisionWeightSource: AnyObject {
    /// The tensor `name` as f32 in PyTorch order; it must have `shape` (outermost first,
    /// leading 1s ignored).
    func vector(_ name: String, shape: [Int]) throws(VisionLoadError) -> FloatBuffer
    /// The weight `name` of PyTorch shape `shape` as a matrix of `shape[0]` rows (outputs) and
    /// the product of the other dimensions as columns (inputs).
    func matrix(_ name: String, shape: [Int]) throws(VisionLoadError) -> WeightMatrix
}

extension VisionWeightSource {
    /// A Linear layer `outputs × inputs` with its bias, both named `prefix.weight|bias`.
    func linear(_ prefix: String, outputs: Int, inputs: Int) throws(VisionLoadError) -> DenseLinear {
        DenseLinear(weight: try matrix(prefix + ".weight", shape: [outputs, inputs]),
                    bias: try vector(prefix + ".bias", shape: [outputs]))
    }

    /// A LayerNorm of width `width`, named `prefix.weight|bias`.
    func layerNorm(_ prefix: String, width: Int, epsilon: Float) throws(VisionLoadError) -> LayerNorm {
        LayerNorm(weight: try vector(prefix + ".weight", shape: [width]),
                  bias: try vector(prefix + ".bias", shape: [width]), epsilon: epsilon)
    }
}

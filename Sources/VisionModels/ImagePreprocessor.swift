import ImageIO

/// The reference's `vis_processor`: RGB, a non-aspect-preserving bicubic squash to the model's
/// square size exactly as Pillow does it (8-bit result), then `ToTensor` (÷255, CHW) and
/// per-channel `Normalize` with the mean and standard deviation stored in the GGUF.
public struct ImagePreprocessor: Sendable, Equatable {
    public let size: Int
    public let mean: [Float]
    public let standardDeviation: [Float]

    public init(size: Int, mean: [Float], standardDeviation: [Float]) {
        precondition(size > 0 && mean.count == 3 && standardDeviation.count == 3,
                     "the preprocessor takes RGB images")
        self.size = size
        self.mean = mean
        self.standardDeviation = standardDeviation
    }

    public init(configuration: VisionConfiguration) {
        self.init(size: configuration.imageSize, mean: configuration.imageMean,
                  standardDeviation: configuration.imageStandardDeviation)
    }

    /// `image` squashed to `size × size` RGB8 (HWC, rows top to bottom); alpha is dropped, not
    /// composited, as Pillow's `convert("RGB")` does.
    public func resized(_ image: RGBAImage) -> [UInt8] {
        PILResize.bicubic(image, width: size, height: size)
    }

    /// The normalised tensor `3 × size × size` (CHW) of an already resized RGB8 image.
    public func pixels(resized rgb: [UInt8]) -> [Float] {
        let plane = size * size
        precondition(rgb.count == plane * 3, "expected \(size)x\(size) RGB8")
        var out = [Float](repeating: 0, count: plane * 3)
        for channel in 0..<3 {
            let m = mean[channel], s = standardDeviation[channel]
            for i in 0..<plane {
                // The same f32 steps as torchvision: x / 255, then (x − mean) / std.
                let x = Float(rgb[3 * i + channel]) / 255
                out[channel * plane + i] = (x - m) / s
            }
        }
        return out
    }

    /// Both steps on a decoded image.
    public func pixels(_ image: RGBAImage) -> [Float] { pixels(resized: resized(image)) }
}

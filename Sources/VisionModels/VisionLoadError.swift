/// Why the vision side of an XComposer GGUF could not be loaded. Each description is one line
/// naming the file and the key or tensor at fault.
public enum VisionLoadError: Error, Equatable, CustomStringConvertible {
    /// The file carries no vision tower at all (a text-only model).
    case noVisionTower(file: String)
    case missingMetadata(file: String, key: String)
    case invalidMetadata(file: String, key: String, reason: String)
    case missingTensor(file: String, name: String)
    case unsupportedTensorType(file: String, name: String, type: String)
    /// Shapes in PyTorch order (outermost first), as the Hugging Face checkpoint lists them.
    case tensorShape(file: String, name: String, expected: [Int], actual: [Int])

    public var description: String {
        switch self {
        case let .noVisionTower(file):
            return "\(file) has no vision tower (no '\(XComposerGGUFNames.Vision.imageSize)' metadata): "
                + "it is a text-only model and cannot read images"
        case let .missingMetadata(file, key): return "\(file): metadata key '\(key)' is missing"
        case let .invalidMetadata(file, key, reason): return "\(file): metadata '\(key)': \(reason)"
        case let .missingTensor(file, name): return "\(file): vision tensor '\(name)' is missing"
        case let .unsupportedTensorType(file, name, type):
            return "\(file): vision tensor '\(name)' has type \(type), which cannot be dequantised"
        case let .tensorShape(file, name, expected, actual):
            return "\(file): vision tensor '\(name)' has shape \(actual), expected \(expected)"
        }
    }
}

import Foundation

/// The checked pairing of a checkpoint's tensors with the tensors to write: every expected
/// tensor is present with the shape the configuration implies and a floating-point type,
/// every LoRA adapter fits its weight, and nothing is left over but the buffers that are
/// dropped. Built before anything is written, so a bad checkpoint fails fast.
struct ConversionPlan {
    struct Item {
        let entry: XComposerLayout.Entry
        let source: CheckpointTensor
        let lora: (a: CheckpointTensor, b: CheckpointTensor)?
    }

    let items: [Item]
    /// Tensors of the checkpoint that are not written (`position_ids`, `inv_freq`).
    let dropped: [String]
    let warnings: [String]

    init(folder: CheckpointFolder, config: XComposerConfig) throws(CheckpointError) {
        var used = Set<String>()
        func take(_ name: String, shape: [Int]) throws(CheckpointError) -> CheckpointTensor {
            guard let tensor = folder.tensor(named: name) else {
                throw .missingTensor(path: folder.directory, tensor: name)
            }
            guard tensor.shape == shape else {
                throw .shapeMismatch(path: tensor.path, tensor: name, expected: shape, actual: tensor.shape)
            }
            guard tensor.dtype.isFloatingPoint else {
                throw .unknownDType(path: tensor.path, tensor: name, dtype: tensor.dtype.rawValue)
            }
            used.insert(name)
            return tensor
        }

        var items: [Item] = []
        for entry in XComposerLayout.entries(for: config) {
            let source = try take(entry.source, shape: entry.shape)
            var lora: (a: CheckpointTensor, b: CheckpointTensor)?
            if let names = entry.lora, let rank = config.lora?.rank {
                let shapes = XComposerLayout.loraShapes(of: entry, rank: rank)
                lora = (try take(names.a, shape: shapes.a), try take(names.b, shape: shapes.b))
            }
            items.append(Item(entry: entry, source: source, lora: lora))
        }

        var dropped: [String] = []
        var warnings: [String] = []
        for tensor in folder.tensors where !used.contains(tensor.name) {
            if XComposerLayout.isDroppedBuffer(tensor.name) {
                dropped.append(tensor.name)
                if tensor.name.hasSuffix("inv_freq"), let warning = Self.checkRotaryFrequencies(tensor, config: config) {
                    warnings.append(warning)
                }
                continue
            }
            if tensor.name.contains(".lora_A.") || tensor.name.contains(".lora_B.") {
                throw .badConfig(path: folder.configPath, key: "internlm_lora",
                                 reason: "does not describe the adapter '\(oneLine(tensor.name))' the checkpoint has "
                                     + "(its lora_r and learn_param are needed to merge it)")
            }
            throw .unexpectedTensor(path: tensor.path, tensor: tensor.name)
        }
        self.items = items
        self.dropped = dropped
        self.warnings = warnings
    }

    /// A warning when a stored `inv_freq` buffer differs from `rope_theta ^ (-2i / d)`: the
    /// converted model recomputes the frequencies from `rope_theta`.
    static func checkRotaryFrequencies(_ tensor: CheckpointTensor, config: XComposerConfig) -> String? {
        let half = config.headDimension / 2
        guard tensor.shape == [half], let values = try? tensor.readAll() else {
            return "\(tensor.path): '\(tensor.name)' has shape \(tensor.shape), not [\(half)]; "
                + "the converted model uses rope_theta \(config.ropeTheta)"
        }
        tensor.releasePages()
        // Stored in half precision the values are rounded; allow for it.
        let tolerance = tensor.dtype == .bfloat16 ? 1e-2 : tensor.dtype == .float16 ? 1e-3 : 1e-5
        for (index, value) in values.enumerated() {
            let expected = 1 / Foundation.pow(config.ropeTheta, Double(2 * index) / Double(config.headDimension))
            if abs(Double(value) - expected) > tolerance * expected + 1e-8 {
                return "\(tensor.path): '\(tensor.name)' does not match rope_theta \(config.ropeTheta) "
                    + "(element \(index) is \(value), expected \(Float(expected))); the converted model uses rope_theta"
            }
        }
        return nil
    }
}

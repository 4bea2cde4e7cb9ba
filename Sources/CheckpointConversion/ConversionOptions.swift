import Tensors

/// How a checkpoint is stored in the GGUF.
public struct ConversionOptions: Sendable, Equatable {
    /// Storage type of the language model's 2-D weight matrices (embedding, attention, MLP, head).
    public var languageType: GGMLType
    /// Storage type of the vision tower's, Q-Former's and projection's weight matrices.
    public var visionType: GGMLType

    /// Types the kernels can both write (`ck_quantize`) and compute with, for `--type`.
    public static let languageTypes: [GGMLType] = [.f32, .f16, .bf16, .q8_0, .q4_0, .q4_1, .q5_0, .q5_1, .q4_K, .q5_K, .q6_K]
    /// Types for `--vision-type`: the vision code multiplies in f32 through OpenBLAS.
    public static let visionTypes: [GGMLType] = [.f32, .f16]

    /// - Throws: `.badOption` for a type outside `languageTypes` / `visionTypes`.
    public init(languageType: GGMLType = .f16, visionType: GGMLType = .f32) throws(CheckpointError) {
        guard Self.languageTypes.contains(languageType) else {
            throw .badOption(option: "--type", reason: "\(languageType.name) cannot be written; use one of "
                + Self.languageTypes.map { $0.name.lowercased() }.joined(separator: ", "))
        }
        guard Self.visionTypes.contains(visionType) else {
            throw .badOption(option: "--vision-type", reason: "\(visionType.name) cannot be written; use f32 or f16")
        }
        self.languageType = languageType
        self.visionType = visionType
    }

    /// Parses `--type` / `--vision-type` values ("q4_k", "F16").
    public init(languageTypeName: String, visionTypeName: String) throws(CheckpointError) {
        guard let language = GGMLType(name: languageTypeName) else {
            throw .badOption(option: "--type", reason: "'\(oneLine(languageTypeName))' is not a GGML type; use one of "
                + Self.languageTypes.map { $0.name.lowercased() }.joined(separator: ", "))
        }
        guard let vision = GGMLType(name: visionTypeName) else {
            throw .badOption(option: "--vision-type", reason: "'\(oneLine(visionTypeName))' is not a GGML type; use f32 or f16")
        }
        try self.init(languageType: language, visionType: vision)
    }

    /// The type `entry` is written as. A quantised type needs rows of whole blocks; a matrix
    /// whose rows are not (reduced test models) falls back to F16, as `fallback` reports.
    func storageType(of entry: XComposerLayout.Entry) -> (type: GGMLType, fallback: String?) {
        switch entry.role {
        case .float32:
            return (.f32, nil)
        case .visionMatrix:
            return (visionType, nil)
        case .languageMatrix:
            let columns = entry.shape.last ?? 1
            let block = languageType.blockElements ?? 1
            guard columns % block == 0 else {
                return (.f16, "\(entry.output): rows of \(columns) are not a whole number of \(languageType.name) "
                    + "blocks (\(block)); stored as F16")
            }
            return (languageType, nil)
        }
    }

    /// llama.cpp's `general.file_type` for the language type (the "mostly" types; every
    /// matrix has the one type, which for the K-quants is llama.cpp's "_S" mix).
    var fileType: UInt32 {
        switch languageType {
        case .f32: return 0
        case .f16: return 1
        case .q4_0: return 2
        case .q4_1: return 3
        case .q8_0: return 7
        case .q5_0: return 8
        case .q5_1: return 9
        case .q4_K: return 14
        case .q5_K: return 16
        case .q6_K: return 18
        case .bf16: return 32
        default: return 1
        }
    }
}

import ModelFiles
import Tokenizers

/// Everything that can go wrong converting a checkpoint.
///
/// Every case names the file it concerns, and `description` is one line starting with that
/// file ("pytorch_model-00001-of-00002.bin: forbidden pickle global 'os.system'"), so the
/// command line shows it as it is.
public enum CheckpointError: Error, CustomStringConvertible, Equatable {
    /// A file the conversion needs is not there (`config.json`, `tokenizer.model`, a shard the
    /// index names); `what` says what it was needed as.
    case missingFile(path: String, what: String)
    /// The folder holds none of the weight files a Hugging Face checkpoint has.
    case noWeights(directory: String)
    /// The file exists but cannot be opened or mapped.
    case unreadable(path: String, reason: String)
    /// The bytes are not what the format says they must be (truncated, bad offsets, bad JSON,
    /// a damaged ZIP directory...); `offset` is where the problem was found, when known.
    case corrupt(path: String, offset: Int?, reason: String)
    /// A well-formed file using a feature this reader deliberately leaves out (a compressed
    /// ZIP entry, a big-endian tensor archive).
    case unsupported(path: String, reason: String)
    /// The pickle names a global outside the few a state dict needs. Nothing is ever executed;
    /// the whole file is refused.
    case forbiddenPickleGlobal(path: String, global: String)
    /// The pickle uses an opcode the restricted reader does not implement.
    case unsupportedPickleOpcode(path: String, opcode: UInt8, offset: Int)
    /// The pickle is made of allowed opcodes but does not describe a state dict.
    case malformedPickle(path: String, offset: Int, reason: String)
    /// A tensor stored with an element type the converter does not know or cannot use here.
    case unknownDType(path: String, tensor: String, dtype: String)
    /// The same tensor name twice (in one shard, or in two shards).
    case duplicateTensor(path: String, tensor: String)
    /// A tensor the model needs is in no shard.
    case missingTensor(path: String, tensor: String)
    /// A tensor that is not part of InternLM-XComposer v1.
    case unexpectedTensor(path: String, tensor: String)
    /// A tensor whose shape is not what the configuration implies.
    case shapeMismatch(path: String, tensor: String, expected: [Int], actual: [Int])
    /// `config.json` is unusable: a key is missing, of the wrong type or inconsistent.
    case badConfig(path: String, key: String, reason: String)
    /// The conversion options cannot be honoured (`--type` names a type the kernels cannot write).
    case badOption(option: String, reason: String)
    /// The SentencePiece model could not be read.
    case tokenizer(SentencePieceModelError)
    /// Writing the GGUF failed (nothing is left under the output name).
    case output(ModelFileError)

    public var description: String {
        switch self {
        case .missingFile(let path, let what):
            return "\(path): no such file (\(what))"
        case .noWeights(let directory):
            return "\(directory): no weights (model.safetensors[.index.json] or pytorch_model.bin[.index.json] expected)"
        case .unreadable(let path, let reason):
            return "\(path): cannot read the file: \(reason)"
        case .corrupt(let path, let offset, let reason):
            let place = offset.map { " at byte \($0)" } ?? ""
            return "\(path): corrupt or truncated\(place): \(reason)"
        case .unsupported(let path, let reason):
            return "\(path): \(reason)"
        case .forbiddenPickleGlobal(let path, let global):
            return "\(path): forbidden pickle global '\(oneLine(global))'"
        case .unsupportedPickleOpcode(let path, let opcode, let offset):
            return "\(path): pickle opcode 0x\(String(opcode, radix: 16, uppercase: true)) at byte \(offset) "
                + "is not allowed in a state dict"
        case .malformedPickle(let path, let offset, let reason):
            return "\(path): pickle at byte \(offset): \(reason)"
        case .unknownDType(let path, let tensor, let dtype):
            return "\(path): tensor '\(oneLine(tensor))' has unknown or unusable dtype '\(oneLine(dtype))'"
        case .duplicateTensor(let path, let tensor):
            return "\(path): tensor '\(oneLine(tensor))' appears more than once"
        case .missingTensor(let path, let tensor):
            return "\(path): missing tensor '\(oneLine(tensor))'"
        case .unexpectedTensor(let path, let tensor):
            return "\(path): tensor '\(oneLine(tensor))' is not part of InternLM-XComposer v1"
        case .shapeMismatch(let path, let tensor, let expected, let actual):
            return "\(path): tensor '\(oneLine(tensor))' has shape \(actual) but the config implies \(expected)"
        case .badConfig(let path, let key, let reason):
            return "\(path): '\(key)' \(reason)"
        case .badOption(let option, let reason):
            return "\(option): \(reason)"
        case .tokenizer(let error):
            return error.description
        case .output(let error):
            return error.description
        }
    }
}

/// Text from a file made safe for a one-line message: control characters escaped, long text cut.
func oneLine(_ text: String, limit: Int = 160) -> String {
    var out = ""
    for (count, scalar) in text.unicodeScalars.enumerated() {
        if count == limit { out += "…"; break }
        if scalar.value < 0x20 || scalar.value == 0x7F {
            out += "\\x" + String(scalar.value, radix: 16)
        } else {
            out.unicodeScalars.append(scalar)
        }
    }
    return out
}

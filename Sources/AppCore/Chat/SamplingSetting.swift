import Engine

/// A `/set` failure, worded for the status line.
public struct SettingError: Error, Sendable, Equatable {
    public var message: String
}

/// The sampling settings `/set` can change, by the names llama.cpp and Ollama users know.
public enum SamplingSetting {
    public static let names = ["temperature", "top_k", "top_p", "min_p", "repeat_penalty", "max_tokens", "seed"]

    public static func apply(name: String, value: String, to parameters: inout GenerationParameters) throws(SettingError) {
        var updated = parameters
        switch name {
        case "temperature", "temp":
            updated.temperature = try number(value, name, in: 0...5)
        case "top_k":
            updated.topK = try integer(value, name, in: 0...100_000)
        case "top_p":
            updated.topP = try number(value, name, in: 0...1)
        case "min_p":
            updated.minP = try number(value, name, in: 0...1)
        case "repeat_penalty", "repetition_penalty":
            updated.repetitionPenalty = try number(value, name, in: 0.1...10)
        case "max_tokens", "num_predict":
            updated.maxNewTokens = try integer(value, name, in: 1...100_000)
        case "seed":
            if value == "random" || value == "none" {
                updated.seed = nil
            } else {
                guard let seed = UInt64(value) else {
                    throw SettingError(message: "seed must be a whole number or 'random', got '\(value)'")
                }
                updated.seed = seed
            }
        default:
            throw SettingError(message: "unknown setting '\(name)' (known: \(names.joined(separator: ", ")))")
        }
        parameters = updated
    }

    public static func describe(_ p: GenerationParameters) -> String {
        "temperature \(p.temperature) · top_k \(p.topK) · top_p \(p.topP) · min_p \(p.minP) · "
            + "repeat_penalty \(p.repetitionPenalty) · max_tokens \(p.maxNewTokens) · seed \(p.seed.map(String.init) ?? "random")"
    }

    private static func number(_ text: String, _ name: String, in range: ClosedRange<Float>) throws(SettingError) -> Float {
        guard let value = Float(text), value.isFinite, range.contains(value) else {
            throw SettingError(message: "\(name) must be a number from \(range.lowerBound) to \(range.upperBound), got '\(text)'")
        }
        return value
    }

    private static func integer(_ text: String, _ name: String, in range: ClosedRange<Int>) throws(SettingError) -> Int {
        guard let value = Int(text), range.contains(value) else {
            throw SettingError(message: "\(name) must be a whole number from \(range.lowerBound) to \(range.upperBound), got '\(text)'")
        }
        return value
    }
}

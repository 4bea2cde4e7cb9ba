import AppCore
import Engine
import Tokenizers
import Synchronization

/// A scripted clock and file system for the chat state.
final class FakeWorld: Sendable {
    let time = Mutex<Double>(100)
    let files: Set<String>
    let images: [String: (Int, Int)]

    init(files: Set<String> = [], images: [String: (Int, Int)] = [:]) {
        self.files = files.union(images.keys)
        self.images = images
    }

    func advance(_ seconds: Double) { time.withLock { $0 += seconds } }

    var environment: ChatEnvironment {
        ChatEnvironment(
            now: { [self] in time.withLock { $0 } },
            home: "/home/me",
            fileExists: { [self] in files.contains($0) },
            listDirectory: { _ in nil },
            probeImage: { [self] path in
                if let size = images[path] { return .success(AttachedImage(path: path, width: size.0, height: size.1)) }
                if files.contains(path) { return .failure(ImageProbeFailure("\(path): not a JPEG or PNG image")) }
                return .failure(ImageProbeFailure("\(path): no such file"))
            })
    }
}

extension ChatState {
    /// A state with a text-only model loaded.
    static func ready(_ world: FakeWorld, seesImages: Bool = false) -> ChatState {
        var state = ChatState(environment: world.environment)
        _ = state.apply(.resized(columns: 100, rows: 30))
        _ = state.apply(.modelReady(ModelSummary(name: "Tiny", contextLength: 2048, seesImages: seesImages)))
        return state
    }

    mutating func type(_ text: String) -> [ChatEffect] { apply(.key(.text(text))) }

    mutating func press(_ key: KeyChord.Key, ctrl: Bool = false) -> [ChatEffect] {
        apply(.key(.chord(KeyChord(key, ctrl: ctrl))))
    }
}

func generatedMessages(_ effects: [ChatEffect]) -> [ChatMessage]? {
    for effect in effects { if case let .generate(messages, _, _) = effect { return messages } }
    return nil
}

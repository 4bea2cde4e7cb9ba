import Dispatch
import Glibc
import LanguageModels

/// Hands a model built on the main thread to the engine's worker thread.
///
/// `@unchecked Sendable` is safe here because ownership moves exactly once: the main thread
/// builds the model, never touches it again, and the worker takes it before using it.
final class ModelBox: @unchecked Sendable {
    private var model: (any CausalLanguageModel)?
    init(_ model: any CausalLanguageModel) { self.model = model }
    func take() -> any CausalLanguageModel {
        guard let model else { preconditionFailure("the model was already handed over") }
        self.model = nil
        return model
    }
}

/// Ctrl-C during generation: the first press stops the reply (keeping what was written), a second
/// press exits at once.
final class InterruptHandler: @unchecked Sendable {
    private let source: DispatchSourceSignal
    private var presses = 0

    init(onFirstPress: @escaping @Sendable () -> Void) {
        signal(SIGINT, SIG_IGN)
        source = DispatchSource.makeSignalSource(signal: SIGINT, queue: .global())
        source.setEventHandler { [unowned(unsafe) self] in
            self.presses += 1
            if self.presses == 1 { onFirstPress() } else { _exit(130) }
        }
        source.resume()
    }

    func remove() {
        source.cancel()
        signal(SIGINT, SIG_DFL)
    }
}

import AppCore
import CursesUI

/// The chat screen's outside world: the model for generation, the session store for the rest.
final class AppBackend: ChatBackend {
    let engine: EngineChatBackend
    let sessions: SessionPersistence

    init(engine: EngineChatBackend, sessions: SessionPersistence) {
        self.engine = engine
        self.sessions = sessions
    }

    func perform(_ effect: ChatEffect, inbox: ChatInbox) {
        switch effect {
        case .generate, .cancelGeneration, .loadModel, .quit:
            engine.perform(effect, inbox: inbox)
        case .save, .listSessions, .openSession, .export:
            sessions.perform(effect, inbox: inbox)
        }
    }

    func shutdown() {
        engine.shutdown()
        sessions.flush()
    }
}

import Testing
@testable import Engine

@Suite struct GenerationParametersTests {
    @Test func defaultsAndPresetsAreValid() throws {
        try GenerationParameters().validate()
        try GenerationParameters.greedy.validate()
        try GenerationParameters.xcomposerChat.validate()
        #expect(GenerationParameters.greedy.isGreedy)
        #expect(GenerationParameters().contextPolicy == .error)
        #expect(GenerationParameters.xcomposerChat.numBeams == 5)
        #expect(!GenerationParameters.xcomposerChat.penalizePrompt)
    }

    /// Each bad value is rejected with an error naming that field, on one line.
    @Test(arguments: [
        (GenerationParameters(topP: 0), "topP"),
        (GenerationParameters(topP: 1.5), "topP"),
        (GenerationParameters(topP: .nan), "topP"),
        (GenerationParameters(maxNewTokens: 0), "maxNewTokens"),
        (GenerationParameters(temperature: -0.1), "temperature"),
        (GenerationParameters(temperature: .infinity), "temperature"),
        (GenerationParameters(topK: -1), "topK"),
        (GenerationParameters(minP: 1), "minP"),
        (GenerationParameters(minP: -0.5), "minP"),
        (GenerationParameters(repetitionPenalty: 0), "repetitionPenalty"),
        (GenerationParameters(penaltyLastN: -2), "penaltyLastN"),
        (GenerationParameters(numBeams: 0), "numBeams"),
        (GenerationParameters(lengthPenalty: .nan), "lengthPenalty"),
        (GenerationParameters(stopStrings: ["ok", ""]), "stopStrings[1]"),
        (GenerationParameters(contextPolicy: .truncateStart(keep: -1)), "contextPolicy"),
    ])
    func rejectsOutOfRange(parameters: GenerationParameters, field: String) {
        do {
            try parameters.validate()
            Issue.record("\(field) should have been rejected")
        } catch {
            guard case let .invalidParameter(name, _, _) = error else {
                Issue.record("unexpected error \(error)")
                return
            }
            #expect(name.hasPrefix(field))
            #expect(error.description.contains(field))
            #expect(!error.description.contains("\n"))
        }
    }

    @Test func boundaryValuesAreAccepted() throws {
        try GenerationParameters(temperature: 0, topK: 0, topP: 1, minP: 0, repetitionPenalty: 1).validate()
        try GenerationParameters(topP: 0.0001, penaltyLastN: 0).validate()
        try GenerationParameters(lengthPenalty: -2, earlyStopping: .never).validate()
    }

    @Test func topPErrorMessageNamesTheRange() {
        #expect(throws: EngineError.invalidParameter(name: "topP", value: "1.5", reason: "must be in (0, 1] (1 disables it)")) {
            try GenerationParameters(topP: 1.5).validate()
        }
        let error = EngineError.invalidParameter(name: "topP", value: "1.5", reason: "must be in (0, 1] (1 disables it)")
        #expect(error.description == "generation parameter topP = 1.5 is invalid: must be in (0, 1] (1 disables it)")
    }
}

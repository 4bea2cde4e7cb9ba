import Testing
import Tokenizers

/// Expected texts are the Hugging Face Jinja templates rendered with jinja2 (SmolLM2's from its
/// GGUF; Meta's Llama 2 and Llama 3 chat templates), minus the leading BOS text, which the
/// tokenizer adds.
@Suite("Chat templates")
struct ChatTemplateTests {
    private let single: [ChatMessage] = [.user("Hello!")]
    private let withSystem: [ChatMessage] = [.system("You are terse."), .user("  What is 2+2? \n")]
    private let multi: [ChatMessage] = [.user("Hi"), .assistant(" Hello! How can I help?  "), .user("Tell me a joke.")]

    @Test("ChatML as SmolLM2 writes it, with its default system prompt")
    func chatML() {
        let t = ChatTemplate.chatml
        #expect(t.render(messages: single, addGenerationPrompt: true)
            == "<|im_start|>system\nYou are a helpful AI assistant named SmolLM, trained by Hugging Face<|im_end|>\n<|im_start|>user\nHello!<|im_end|>\n<|im_start|>assistant\n")
        #expect(t.render(messages: single, addGenerationPrompt: false)
            == "<|im_start|>system\nYou are a helpful AI assistant named SmolLM, trained by Hugging Face<|im_end|>\n<|im_start|>user\nHello!<|im_end|>\n")
        #expect(t.render(messages: withSystem, addGenerationPrompt: true)
            == "<|im_start|>system\nYou are terse.<|im_end|>\n<|im_start|>user\n  What is 2+2? \n<|im_end|>\n<|im_start|>assistant\n")
        #expect(t.render(messages: multi, addGenerationPrompt: true)
            == "<|im_start|>system\nYou are a helpful AI assistant named SmolLM, trained by Hugging Face<|im_end|>\n<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n Hello! How can I help?  <|im_end|>\n<|im_start|>user\nTell me a joke.<|im_end|>\n<|im_start|>assistant\n")
        #expect(t.render(messages: single, addGenerationPrompt: false, defaultSystemPrompt: nil)
            == "<|im_start|>user\nHello!<|im_end|>\n")
        #expect(t.render(messages: [], addGenerationPrompt: true) == "<|im_start|>assistant\n")
    }

    @Test("Llama 2: [INST] with <<SYS>>, stripped contents, <s> before later turns")
    func llama2() {
        let t = ChatTemplate.llama2
        #expect(t.render(messages: single, addGenerationPrompt: true) == "[INST] Hello! [/INST]")
        #expect(t.render(messages: withSystem, addGenerationPrompt: true)
            == "[INST] <<SYS>>\nYou are terse.\n<</SYS>>\n\n  What is 2+2? [/INST]")
        #expect(t.render(messages: multi, addGenerationPrompt: true)
            == "[INST] Hi [/INST] Hello! How can I help? </s><s>[INST] Tell me a joke. [/INST]")
    }

    @Test("Llama 3: header ids, trimmed contents, <|eot_id|>")
    func llama3() {
        let t = ChatTemplate.llama3
        #expect(t.render(messages: single, addGenerationPrompt: true)
            == "<|start_header_id|>user<|end_header_id|>\n\nHello!<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n")
        #expect(t.render(messages: single, addGenerationPrompt: false)
            == "<|start_header_id|>user<|end_header_id|>\n\nHello!<|eot_id|>")
        #expect(t.render(messages: withSystem, addGenerationPrompt: false)
            == "<|start_header_id|>system<|end_header_id|>\n\nYou are terse.<|eot_id|><|start_header_id|>user<|end_header_id|>\n\nWhat is 2+2?<|eot_id|>")
        #expect(t.render(messages: multi, addGenerationPrompt: true)
            == "<|start_header_id|>user<|end_header_id|>\n\nHi<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\nHello! How can I help?<|eot_id|><|start_header_id|>user<|end_header_id|>\n\nTell me a joke.<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n")
    }

    /// The reference `meta_instruction`, spelled out here independently of the module.
    private let meta = "meta instruction\nYou are an AI assistant whose name is 浦语.\n- 浦语 is a conversational language model that is developed by Shanghai AI Laboratory (上海人工智能实验室). It is designed to be helpful, honest, and harmless.\n- 浦语 can understand and communicate fluently in the language chosen by the user such as English and 中文.\nconversation\n"

    @Test("XComposer first turn: BOS + meta + ' <|User|>:', the text, '\\n<TOKENS_UNUSED_0> <|Bot|>:'")
    func xcomposerFirstTurn() {
        let t = ChatTemplate.internLMXComposer
        #expect(t.segments(messages: [.user("Describe the image.")], addGenerationPrompt: true) == [
            PromptSegment(text: meta + " <|User|>:", addSpecial: true, role: .template),
            PromptSegment(text: "Describe the image.", addSpecial: false, role: .user),
            PromptSegment(text: "\n<TOKENS_UNUSED_0> <|Bot|>:", addSpecial: false, role: .template),
        ])
        #expect(t.render(messages: [.user("Hi")], addGenerationPrompt: true)
                == meta + " <|User|>:Hi\n<TOKENS_UNUSED_0> <|Bot|>:")
        // Without the meta instruction (the benchmark prompts and the older revision).
        #expect(t.render(messages: [.user("Hi")], addGenerationPrompt: true, defaultSystemPrompt: nil)
                == " <|User|>:Hi\n<TOKENS_UNUSED_0> <|Bot|>:")
        // A system message stands in for the meta instruction.
        #expect(t.render(messages: [.system("Be brief.\n"), .user("Hi")], addGenerationPrompt: true)
                == "Be brief.\n <|User|>:Hi\n<TOKENS_UNUSED_0> <|Bot|>:")
    }

    @Test("XComposer later turns follow chat()'s history quirk: BOS twice, no markers, no meta")
    func xcomposerHistory() {
        let t = ChatTemplate.internLMXComposer
        let messages: [ChatMessage] = [.user("Q1"), .assistant("A1"), .user("Q2")]
        #expect(t.segments(messages: messages, addGenerationPrompt: true) == [
            PromptSegment(text: " <|User|>:", addSpecial: true, role: .template),
            PromptSegment(text: "Q1", addSpecial: false, role: .user),
            PromptSegment(text: " <|Bot|>:", addSpecial: false, role: .template),
            PromptSegment(text: "A1", addSpecial: true, role: .assistant),
            PromptSegment(text: " <|User|>:", addSpecial: false, role: .template),
            PromptSegment(text: "Q2", addSpecial: false, role: .user),
            PromptSegment(text: "\n<TOKENS_UNUSED_0> <|Bot|>:", addSpecial: false, role: .template),
        ])
    }

    @Test("other templates give one segment holding the whole text")
    func singleSegment() {
        for template in [ChatTemplate.chatml, .llama2, .llama3] {
            let segments = template.segments(messages: multi, addGenerationPrompt: true)
            #expect(segments == [PromptSegment(text: template.render(messages: multi, addGenerationPrompt: true),
                                               addSpecial: true, role: .template)])
        }
    }

    @Test("templates are recognised from Jinja markers")
    func detection() {
        #expect(ChatTemplate.detect(fromJinja: nil) == nil)
        #expect(ChatTemplate.detect(fromJinja: "{{ bos_token }}{{ messages }}") == nil)
        #expect(ChatTemplate.detect(fromJinja: "{% for m in messages %}{{'<|im_start|>' + m['role']}}{% endfor %}") == .chatml)
        #expect(ChatTemplate.detect(fromJinja: "{{ '<|start_header_id|>' + message['role'] + '<|end_header_id|>' }}") == .llama3)
        #expect(ChatTemplate.detect(fromJinja: "{{ bos_token + '[INST] ' + content.strip() + ' [/INST]' }}") == .llama2)
        #expect(ChatTemplate.detect(fromJinja: "{{ ' <|User|>:' + m + '<TOKENS_UNUSED_0>' }}") == .internLMXComposer)
    }

    @Test("templates are found by name, with aliases")
    func names() {
        #expect(ChatTemplate(name: "chatml") == .chatml)
        #expect(ChatTemplate(name: "ChatML") == .chatml)
        #expect(ChatTemplate(name: "llama-2") == .llama2)
        #expect(ChatTemplate(name: "Llama3") == .llama3)
        #expect(ChatTemplate(name: "internlm-xcomposer") == .internLMXComposer)
        #expect(ChatTemplate(name: "xcomposer") == .internLMXComposer)
        #expect(ChatTemplate(name: "mistral") == nil)
        for template in ChatTemplate.allCases { #expect(ChatTemplate(name: template.rawValue) == template) }
    }

    @Test("a ChatML template's own default system prompt can be read from its Jinja text")
    func defaultPromptFromJinja() {
        let smol = "{% for message in messages %}{% if loop.first and messages[0]['role'] != 'system' %}{{ '<|im_start|>system\nYou are a helpful AI assistant named SmolLM, trained by Hugging Face<|im_end|>\n' }}{% endif %}{{'<|im_start|>' + message['role'] + '\n' + message['content'] + '<|im_end|>' + '\n'}}{% endfor %}"
        #expect(ChatTemplate.defaultSystemPrompt(fromJinja: smol) == "You are a helpful AI assistant named SmolLM, trained by Hugging Face")
        let escaped = #"{{ '<|im_start|>system\nYou are Qwen.<|im_end|>\n' }}"#
        #expect(ChatTemplate.defaultSystemPrompt(fromJinja: escaped) == "You are Qwen.")
        let none = "{{'<|im_start|>system\n' + message['content'] + '<|im_end|>'}}"
        #expect(ChatTemplate.defaultSystemPrompt(fromJinja: none) == nil)
    }

    @Test("stop strings end each template's assistant turn")
    func stopStrings() {
        #expect(ChatTemplate.chatml.stopStrings.contains("<|im_end|>"))
        #expect(ChatTemplate.llama3.stopStrings.contains("<|eot_id|>"))
        #expect(ChatTemplate.llama2.stopStrings.contains("</s>"))
        #expect(ChatTemplate.internLMXComposer.stopStrings.contains("<TOKENS_UNUSED_1>"))
    }
}

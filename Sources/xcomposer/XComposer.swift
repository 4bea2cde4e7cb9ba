import ArgumentParser

@main
struct XComposer: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "xcomposer",
        abstract: "Chat about images and compose illustrated articles with a local model.",
        subcommands: [ChatCommand.self, GenerateCommand.self, BenchCommand.self, LogitsCommand.self, LibraryCommand.self,
                      ComposeCommand.self, ConvertCommand.self],
        defaultSubcommand: ChatCommand.self
    )
}

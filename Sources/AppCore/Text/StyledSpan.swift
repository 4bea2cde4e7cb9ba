/// A run of text drawn in one colour role with one set of attributes.
public struct StyledSpan: Sendable, Equatable {
    public var text: String
    public var role: ColorRole
    public var attributes: TextAttributes

    public init(text: String, role: ColorRole, attributes: TextAttributes = []) {
        self.text = text
        self.role = role
        self.attributes = attributes
    }
}

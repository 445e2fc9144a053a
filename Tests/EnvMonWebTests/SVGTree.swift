import Foundation

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// An SVG string parsed as XML (so a test fails on anything not well-formed) into a small tree
/// the tests can query by element name and class.
final class SVGElement {
    let name: String
    let attributes: [String: String]
    var children: [SVGElement] = []
    var text = ""

    init(name: String, attributes: [String: String]) {
        self.name = name
        self.attributes = attributes
    }

    subscript(_ attribute: String) -> String? { attributes[attribute] }

    func double(_ attribute: String) -> Double? { attributes[attribute].flatMap(Double.init) }

    var classes: [String] { (attributes["class"] ?? "").split(separator: " ").map(String.init) }

    /// This element and every descendant, in document order.
    var all: [SVGElement] { [self] + children.flatMap(\.all) }

    func elements(_ name: String) -> [SVGElement] { all.filter { $0.name == name } }

    func elements(class className: String) -> [SVGElement] { all.filter { $0.classes.contains(className) } }

    /// The text of this element and its descendants.
    var fullText: String { text + children.map(\.fullText).joined() }

    /// "x,y x,y …" of a polyline or polygon.
    var vertices: [(x: Double, y: Double)] {
        (attributes["points"] ?? "").split(separator: " ").map { pair in
            let parts = pair.split(separator: ",").map { Double($0)! }
            return (parts[0], parts[1])
        }
    }
}

struct SVGParseError: Error, CustomStringConvertible {
    var description: String
}

enum SVGTree {
    static func parse(_ svg: String) throws -> SVGElement {
        let builder = TreeBuilder()
        let parser = XMLParser(data: Data(svg.utf8))
        parser.delegate = builder
        guard parser.parse(), let root = builder.root else {
            throw SVGParseError(
                description: "not well-formed XML: \(parser.parserError.map(String.init(describing:)) ?? "no root")")
        }
        return root
    }

    private final class TreeBuilder: NSObject, XMLParserDelegate {
        var root: SVGElement?
        var stack: [SVGElement] = []

        func parser(
            _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?, qualifiedName: String?,
            attributes: [String: String] = [:]
        ) {
            let element = SVGElement(name: elementName, attributes: attributes)
            if let parent = stack.last { parent.children.append(element) } else { root = element }
            stack.append(element)
        }

        func parser(
            _ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName: String?
        ) {
            stack.removeLast()
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) {
            stack.last?.text += string
        }
    }
}

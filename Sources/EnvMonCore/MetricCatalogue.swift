/// The metrics EnvMon knows, looked up by id or alias. The config may add metrics and aliases.
package struct MetricCatalogue: Sendable {
    package private(set) var definitions: [MetricDefinition]
    private var index: [String: Int]

    package init(_ definitions: [MetricDefinition]) {
        self.definitions = []
        self.index = [:]
        for definition in definitions { self.add(definition) }
    }

    /// Adds or replaces a metric (matched by id); its id and aliases become lookup names.
    package mutating func add(_ definition: MetricDefinition) {
        if let existing = index[definition.id.lowercased()], definitions[existing].id == definition.id {
            definitions[existing] = definition
        } else {
            definitions.append(definition)
        }
        rebuildIndex()
    }

    /// Adds extra names for an existing metric. Returns false if the metric is unknown.
    @discardableResult
    package mutating func addAliases(_ aliases: [String], to id: String) -> Bool {
        guard let position = definitions.firstIndex(where: { $0.id == id }) else { return false }
        definitions[position].aliases.append(contentsOf: aliases)
        rebuildIndex()
        return true
    }

    /// The metric with this id or alias (case-insensitive), if any.
    package func definition(named name: String) -> MetricDefinition? {
        if let position = index[name] ?? index[name.lowercased()] { return definitions[position] }
        return nil
    }

    package func contains(id: String) -> Bool { definitions.contains { $0.id == id } }

    private mutating func rebuildIndex() {
        index = [:]
        // Ids win over aliases so an alias can never shadow a real metric.
        for (position, definition) in definitions.enumerated() {
            for alias in definition.aliases where index[alias.lowercased()] == nil {
                index[alias.lowercased()] = position
            }
        }
        for (position, definition) in definitions.enumerated() {
            index[definition.id.lowercased()] = position
        }
    }
}

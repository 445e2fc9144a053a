/// RFC 8428 pack resolution (§4): base fields carry forward until replaced, names concatenate,
/// times below 2^28 are relative to "now", resolved records are in time order.
///
/// Problems that make later records untrustworthy reject the whole pack: a version above 10, a
/// "must understand" label (ending in `_`) we do not know, records with different versions,
/// or a base field of the wrong type (every later record would inherit a wrong base). Problems
/// confined to one record reject only that record.
package enum SenML {
    /// RFC 8428's version. RFC 9100 makes the version a feature bitmap; higher values need
    /// features we do not implement, so they are refused as the RFC requires.
    package static let defaultVersion = 10
    package static let understoodVersion = 10
    /// Times at or above 2^28 s are absolute POSIX times; below, relative to "now" (§4.5.3).
    package static let absoluteTimeThreshold = 268_435_456.0

    package struct Resolution: Sendable {
        /// Resolved records, sorted by time (ties keep pack order).
        package var records: [SenMLRecord]
        /// Records that could not be resolved, each naming its 1-based position in the pack.
        package var rejections: [Rejection]
    }

    private static let knownLabels: Set<String> = [
        "bn", "bt", "bu", "bv", "bs", "bver", "n", "u", "v", "vs", "vb", "vd", "s", "t", "ut",
    ]

    /// Resolves a parsed SenML pack. `now` resolves relative times (for MQTT, the receive time).
    /// Throws a `Rejection` (undecodable) when the pack as a whole must not be used.
    package static func resolve(_ pack: JSONValue, now: Timestamp) throws(Rejection) -> Resolution {
        guard case .array(let elements) = pack else {
            throw Rejection(
                .undecodable, "expected a SenML pack (a JSON array of records), got \(pack.kindDescription)")
        }
        let nowSeconds = now.seconds
        var baseName = ""
        var baseTime = 0.0
        var baseUnit: String? = nil
        var baseValue: Double? = nil
        var baseSum: Double? = nil
        var version: Int? = nil
        var records: [SenMLRecord] = []
        var rejections: [Rejection] = []

        for (index, element) in elements.enumerated() {
            let label = SenMLRecordLabel(index: index)
            guard case .object(let fields) = element else {
                rejections.append(Rejection(.undecodable, "\(label) is \(element.kindDescription), not an object"))
                continue
            }

            // Pack-level checks and base fields first: they apply to this record too.
            var hasBaseField = false
            // The last byte first: most keys end otherwise, and the set lookup hashes the key.
            for field in fields
            where field.key.utf8.last == UInt8(ascii: "_") && field.key.hasSuffix("_")
                && !knownLabels.contains(field.key)
            {
                throw Rejection(
                    .undecodable, "\(label): must-understand label \(detailQuoted(field.key)) is not supported")
            }
            if let field = fields.first(where: { $0.key == "bver" }) {
                hasBaseField = true
                guard case .number(let number) = field.value, let integer = JSONObjectDecoder.exactInteger(number),
                    integer > 0
                else { throw Rejection(.undecodable, "\(label): \"bver\" is not a positive integer") }
                guard integer <= understoodVersion else {
                    throw Rejection(
                        .undecodable, "\(label): SenML version \(integer) is newer than version \(understoodVersion)")
                }
                if let version, version != Int(integer) {
                    throw Rejection(
                        .undecodable, "\(label): version \(integer) differs from the pack's version \(version)")
                }
                // Records before the first `bver` had the default version.
                if version == nil, index > 0, Int(integer) != defaultVersion {
                    throw Rejection(
                        .undecodable, "\(label): version \(integer) differs from the pack's version \(defaultVersion)")
                }
                version = Int(integer)
            }
            for field in fields {
                switch field.key {
                case "bn":
                    guard case .string(let text) = field.value else {
                        throw Rejection(.undecodable, "\(label): \"bn\" is not a string")
                    }
                    baseName = text
                case "bt":
                    guard case .number(let number) = field.value, number.isFinite else {
                        throw Rejection(.undecodable, "\(label): \"bt\" is not a finite number")
                    }
                    baseTime = number
                case "bu":
                    guard case .string(let text) = field.value else {
                        throw Rejection(.undecodable, "\(label): \"bu\" is not a string")
                    }
                    baseUnit = text
                case "bv":
                    guard case .number(let number) = field.value else {
                        throw Rejection(.undecodable, "\(label): \"bv\" is not a number")
                    }
                    baseValue = number
                case "bs":
                    guard case .number(let number) = field.value else {
                        throw Rejection(.undecodable, "\(label): \"bs\" is not a number")
                    }
                    baseSum = number
                default:
                    continue
                }
                hasBaseField = true
            }

            switch resolveRecord(
                fields, label: label, index: index, baseName: baseName, baseTime: baseTime, baseUnit: baseUnit,
                baseValue: baseValue, baseSum: baseSum, version: version ?? defaultVersion, now: nowSeconds,
                hasBaseField: hasBaseField)
            {
            case .success(let record?): records.append(record)
            case .success(nil): break
            case .failure(let rejection): rejections.append(rejection)
            }
        }
        records.sort { ($0.time, $0.index) < ($1.time, $1.index) }
        return Resolution(records: records, rejections: rejections)
    }

    /// Parses and resolves a SenML JSON text.
    package static func resolve(
        json bytes: [UInt8], now: Timestamp, maximumDepth: Int = JSONParser.defaultMaximumDepth
    ) throws(Rejection) -> Resolution {
        let pack: JSONValue
        do {
            pack = try JSONParser.parse(bytes, maximumDepth: maximumDepth)
        } catch {
            throw Rejection(.undecodable, error.description)
        }
        return try resolve(pack, now: now)
    }

    /// One record's regular fields on top of the bases in force. `.success(nil)` is a record
    /// that only sets base fields (like the first record of RFC 8428 §5.1.7): nothing to emit.
    private static func resolveRecord(
        _ fields: [JSONMember], label: SenMLRecordLabel, index: Int, baseName: String, baseTime: Double,
        baseUnit: String?, baseValue: Double?, baseSum: Double?, version: Int, now: Double, hasBaseField: Bool
    ) -> Result<SenMLRecord?, Rejection> {
        var name: String? = nil
        var unit: String? = nil
        var values: [SenMLValue] = []
        var sum: Double? = nil
        var time: Double? = nil
        var updateTime: Double? = nil

        func notA(_ kind: String, _ key: String) -> Result<SenMLRecord?, Rejection> {
            .failure(Rejection(.undecodable, "\(label): \(detailQuoted(key)) is not \(kind)"))
        }

        for field in fields {
            switch (field.key, field.value) {
            case ("n", .string(let text)): name = text
            case ("n", _): return notA("a string", "n")
            case ("u", .string(let text)): unit = text
            case ("u", _): return notA("a string", "u")
            case ("v", .number(let number)): values.append(.number(number))
            case ("v", _): return notA("a number", "v")
            case ("vs", .string(let text)): values.append(.string(text))
            case ("vs", _): return notA("a string", "vs")
            case ("vb", .bool(let flag)): values.append(.boolean(flag))
            case ("vb", _): return notA("a boolean", "vb")
            case ("vd", .string(let text)): values.append(.data(text))
            case ("vd", _): return notA("a string", "vd")
            case ("s", .number(let number)): sum = number
            case ("s", _): return notA("a number", "s")
            case ("t", .number(let number)): time = number
            case ("t", _): return notA("a number", "t")
            case ("ut", .number(let number)): updateTime = number
            case ("ut", _): return notA("a number", "ut")
            default: continue  // base fields were handled by the caller; unknown labels are ignored
            }
        }

        guard values.count <= 1 else {
            return .failure(Rejection(.undecodable, "\(label): more than one of \"v\", \"vs\", \"vb\", \"vd\""))
        }
        let resolvedSum: Double? = (sum == nil && baseSum == nil) ? nil : (baseSum ?? 0) + (sum ?? 0)
        if values.isEmpty, sum == nil {
            let hasRegularField = name != nil || unit != nil || time != nil || updateTime != nil
            if hasBaseField, !hasRegularField { return .success(nil) }
            return .failure(
                Rejection(.undecodable, "\(label): no value (\"v\", \"vs\", \"vb\" or \"vd\") and no sum (\"s\")"))
        }

        let fullName = baseName + (name ?? "")
        guard !fullName.isEmpty else {
            return .failure(Rejection(.undecodable, "\(label): no name (neither \"bn\" nor \"n\")"))
        }
        guard isValidName(fullName) else {
            return .failure(
                Rejection(
                    .undecodable,
                    "\(label): name \(detailQuoted(fullName)) must start with a letter or digit and use only "
                        + "A-Z a-z 0-9 - : . / _"))
        }

        var value: SenMLValue? = values.first
        if case .number(let number) = value { value = .number((baseValue ?? 0) + number) }

        var seconds = baseTime + (time ?? 0)
        let isRelative = seconds < absoluteTimeThreshold
        if isRelative { seconds += now }
        guard seconds.isFinite else {
            return .failure(Rejection(.badTimestamp, "\(label): time is not finite"))
        }
        return .success(
            SenMLRecord(
                name: fullName, baseName: baseName, localName: name ?? "", unit: unit ?? baseUnit, value: value,
                sum: resolvedSum, time: seconds, updateTime: updateTime, version: version, index: index,
                timeIsRelative: isRelative))
    }

    /// RFC 8428 §4.5.1: `A-Z a-z 0-9 - : . / _`, starting with a letter or digit.
    static func isValidName(_ name: String) -> Bool {
        var first = true
        for byte in name.utf8 {
            let alphanumeric =
                (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
            if first {
                guard alphanumeric else { return false }
                first = false
            } else if !alphanumeric {
                switch byte {
                case UInt8(ascii: "-"), UInt8(ascii: ":"), UInt8(ascii: "."), UInt8(ascii: "/"), UInt8(ascii: "_"):
                    continue
                default: return false
                }
            }
        }
        return !first
    }
}

/// "SenML record N" in a rejection's text, built only when a rejection is: a label made for each
/// record up front would cost a string allocation per reading.
struct SenMLRecordLabel: CustomStringConvertible {
    /// 0-based position in the pack.
    var index: Int

    var description: String { "SenML record \(index + 1)" }
}

import Testing

@testable import EnvMonCore

/// Every example of RFC 8428 §5.1, resolved as §4.6 and §5.1.4 describe.
@Suite struct SenMLResolutionTests {
    /// "Now" for relative times.
    static let now = DecoderFixtures.receivedAt
    static var nowSeconds: Double { now.seconds }

    private func resolve(_ text: String) throws(Rejection) -> SenML.Resolution {
        try SenML.resolve(json: DecoderFixtures.bytes(text), now: Self.now)
    }

    /// Name, unit, value, time of each record, which is what RFC 8428 shows in resolved form.
    private func summary(_ records: [SenMLRecord]) -> [String] {
        records.map { record in
            let value: String
            switch record.value {
            case .number(let number)?: value = "\(number)"
            case .string(let text)?: value = "vs:\(text)"
            case .boolean(let flag)?: value = "vb:\(flag)"
            case .data(let data)?: value = "vd:\(data)"
            case nil: value = "-"
            }
            return "\(record.name) \(record.unit ?? "-") \(value) @\(record.time)"
        }
    }

    @Test func singleDataPoint_5_1_1() throws {
        let resolution = try resolve(#"[{"n":"urn:dev:ow:10e2073a01080063","u":"Cel","v":23.1}]"#)
        #expect(resolution.rejections.isEmpty)
        #expect(summary(resolution.records) == ["urn:dev:ow:10e2073a01080063 Cel 23.1 @\(Self.nowSeconds)"])
        #expect(resolution.records.first?.version == 10)
    }

    @Test func multipleDataPointsNow_5_1_2() throws {
        let resolution = try resolve(
            #"""
            [
              {"bn":"urn:dev:ow:10e2073a01080063:","n":"voltage","u":"V","v":120.1},
              {"n":"current","u":"A","v":1.2}
            ]
            """#)
        #expect(
            summary(resolution.records) == [
                "urn:dev:ow:10e2073a01080063:voltage V 120.1 @\(Self.nowSeconds)",
                "urn:dev:ow:10e2073a01080063:current A 1.2 @\(Self.nowSeconds)",
            ])
    }

    @Test func multipleDataPointsWithBaseTimeAndVersion_5_1_2() throws {
        let resolution = try resolve(
            #"""
            [
              {"bn":"urn:dev:ow:10e2073a0108006:","bt":1.276020076001e+09,
               "bu":"A","bver":5,
               "n":"voltage","u":"V","v":120.1},
              {"n":"current","t":-5,"v":1.2},
              {"n":"current","t":-4,"v":1.3},
              {"n":"current","t":-3,"v":1.4},
              {"n":"current","t":-2,"v":1.5},
              {"n":"current","t":-1,"v":1.6},
              {"n":"current","v":1.7}
            ]
            """#)
        #expect(resolution.rejections.isEmpty)
        let records = resolution.records
        // Chronological: the five earlier currents, then voltage and current at the base time.
        #expect(
            records.map(\.localName) == ["current", "current", "current", "current", "current", "voltage", "current"])
        #expect(records.compactMap(\.value?.number) == [1.2, 1.3, 1.4, 1.5, 1.6, 120.1, 1.7])
        #expect(records.map(\.unit) == ["A", "A", "A", "A", "A", "V", "A"])
        let expectedTimes = [-5.0, -4, -3, -2, -1, 0, 0].map { 1_276_020_076.001 + $0 }
        for (record, time) in zip(records, expectedTimes) {
            #expect(abs(record.time - time) < 1e-6)
        }
        #expect(records.allSatisfy { $0.version == 5 && $0.name == "urn:dev:ow:10e2073a0108006:" + $0.localName })
        // Resolved to milliseconds: Tue Jun 8 18:01:16.001 UTC 2010.
        #expect(Timestamp(seconds: records[5].time) == RFC3339.parse("2010-06-08T18:01:16.001Z"))
    }

    @Test func sensMLStream_5_1_2() throws {
        // The RFC's stream continues ("..."); the records it shows, closed here.
        let resolution = try resolve(
            #"""
            [
              {"bn":"urn:dev:ow:10e2073a01080063","bt":1.320067464e+09,
               "bu":"%RH","v":21.2},
              {"t":10,"v":21.3},
              {"t":20,"v":21.4},
              {"t":30,"v":21.4},
              {"t":40,"v":21.5},
              {"t":50,"v":21.5},
              {"t":60,"v":21.5},
              {"t":70,"v":21.6},
              {"t":80,"v":21.7}
            ]
            """#)
        #expect(resolution.records.count == 9)
        #expect(resolution.records.allSatisfy { $0.name == "urn:dev:ow:10e2073a01080063" && $0.unit == "%RH" })
        #expect(resolution.records.map(\.time) == stride(from: 0.0, through: 80, by: 10).map { 1_320_067_464 + $0 })
        #expect(
            resolution.records.compactMap(\.value?.number) == [21.2, 21.3, 21.4, 21.4, 21.5, 21.5, 21.5, 21.6, 21.7])
    }

    @Test func multipleMeasurementsResolveToTheRFCsResolvedData_5_1_3_and_5_1_4() throws {
        let resolution = try resolve(
            #"""
            [
              {"bn":"urn:dev:ow:10e2073a01080063","bt":1.320067464e+09,
               "bu":"%RH","v":20},
              {"u":"lon","v":24.30621},
              {"u":"lat","v":60.07965},
              {"t":60,"v":20.3},
              {"u":"lon","t":60,"v":24.30622},
              {"u":"lat","t":60,"v":60.07965},
              {"t":120,"v":20.7},
              {"u":"lon","t":120,"v":24.30623},
              {"u":"lat","t":120,"v":60.07966},
              {"u":"%EL","t":150,"v":98},
              {"t":180,"v":21.2},
              {"u":"lon","t":180,"v":24.30628},
              {"u":"lat","t":180,"v":60.07967}
            ]
            """#)
        // §5.1.4, the same data in resolved form, parsed field by field.
        let resolvedText = #"""
            [
              {"n":"urn:dev:ow:10e2073a01080063","u":"%RH","t":1.320067464e+09,
               "v":20},
              {"n":"urn:dev:ow:10e2073a01080063","u":"lon","t":1.320067464e+09,
               "v":24.30621},
              {"n":"urn:dev:ow:10e2073a01080063","u":"lat","t":1.320067464e+09,
               "v":60.07965},
              {"n":"urn:dev:ow:10e2073a01080063","u":"%RH","t":1.320067524e+09,
               "v":20.3},
              {"n":"urn:dev:ow:10e2073a01080063","u":"lon","t":1.320067524e+09,
               "v":24.30622},
              {"n":"urn:dev:ow:10e2073a01080063","u":"lat","t":1.320067524e+09,
               "v":60.07965},
              {"n":"urn:dev:ow:10e2073a01080063","u":"%RH","t":1.320067584e+09,
               "v":20.7},
              {"n":"urn:dev:ow:10e2073a01080063","u":"lon","t":1.320067584e+09,
               "v":24.30623},
              {"n":"urn:dev:ow:10e2073a01080063","u":"lat","t":1.320067584e+09,
               "v":60.07966},
              {"n":"urn:dev:ow:10e2073a01080063","u":"%EL","t":1.320067614e+09,
               "v":98},
              {"n":"urn:dev:ow:10e2073a01080063","u":"%RH","t":1.320067644e+09,
               "v":21.2},
              {"n":"urn:dev:ow:10e2073a01080063","u":"lon","t":1.320067644e+09,
               "v":24.30628},
              {"n":"urn:dev:ow:10e2073a01080063","u":"lat","t":1.320067644e+09,
               "v":60.07967}
            ]
            """#
        guard case .array(let expected) = try JSONParser.parse(resolvedText) else {
            Issue.record("resolved example is not an array")
            return
        }
        #expect(resolution.records.count == expected.count)
        for (record, rfc) in zip(resolution.records, expected) {
            #expect(rfc["n"] == .string(record.name))
            #expect(rfc["u"] == record.unit.map(JSONValue.string))
            #expect(rfc["t"] == .number(record.time))
            #expect(rfc["v"] == record.value?.number.map(JSONValue.number))
        }
        // A resolved pack resolves to itself.
        let again = try SenML.resolve(JSONParser.parse(resolvedText), now: Self.now)
        #expect(again.records.map(\.name) == resolution.records.map(\.name))
        #expect(again.records.map(\.time) == resolution.records.map(\.time))
        #expect(again.records.map(\.value) == resolution.records.map(\.value))
    }

    @Test func multipleDataTypes_5_1_5() throws {
        let resolution = try resolve(
            #"""
            [
              {"bn":"urn:dev:ow:10e2073a01080063:","n":"temp","u":"Cel","v":23.1},
              {"n":"label","vs":"Machine Room"},
              {"n":"open","vb":false},
              {"n":"nfv-reader","vd":"aGkgCg"}
            ]
            """#)
        #expect(resolution.rejections.isEmpty)
        let now = Self.nowSeconds
        #expect(
            summary(resolution.records) == [
                "urn:dev:ow:10e2073a01080063:temp Cel 23.1 @\(now)",
                "urn:dev:ow:10e2073a01080063:label - vs:Machine Room @\(now)",
                "urn:dev:ow:10e2073a01080063:open - vb:false @\(now)",
                "urn:dev:ow:10e2073a01080063:nfv-reader - vd:aGkgCg @\(now)",
            ])
    }

    @Test func collectionOfResources_5_1_6() throws {
        let resolution = try resolve(
            #"""
            [
              {"bn":"2001:db8::2/","bt":1.320078429e+09,
               "n":"temperature","u":"Cel","v":25.2},
              {"n":"humidity","u":"%RH","v":30},
              {"bn":"2001:db8::1/","n":"temperature","u":"Cel","v":12.3},
              {"n":"humidity","u":"%RH","v":67}
            ]
            """#)
        // The last record uses the base name of the third and the base time of the first.
        #expect(
            summary(resolution.records) == [
                "2001:db8::2/temperature Cel 25.2 @1320078429.0",
                "2001:db8::2/humidity %RH 30.0 @1320078429.0",
                "2001:db8::1/temperature Cel 12.3 @1320078429.0",
                "2001:db8::1/humidity %RH 67.0 @1320078429.0",
            ])
    }

    @Test func settingAnActuator_5_1_7() throws {
        let thermostat = try resolve(
            #"""
            [
              {"bn":"urn:dev:ow:10e2073a01080063:"},
              {"n":"temp","u":"Cel","v":23.1},
              {"n":"heat","u":"/","v":1},
              {"n":"fan","u":"/","v":0}
            ]
            """#)
        #expect(thermostat.rejections.isEmpty)  // the base-only first record is not an error
        let now = Self.nowSeconds
        #expect(
            summary(thermostat.records) == [
                "urn:dev:ow:10e2073a01080063:temp Cel 23.1 @\(now)",
                "urn:dev:ow:10e2073a01080063:heat / 1.0 @\(now)",
                "urn:dev:ow:10e2073a01080063:fan / 0.0 @\(now)",
            ])

        let lightsOn = try resolve(
            #"""
            [
              {"bt":1.320078429e+09,"bu":"/","n":"2001:db8::3","v":1},
              {"n":"2001:db8::4","v":1}
            ]
            """#)
        #expect(summary(lightsOn.records) == ["2001:db8::3 / 1.0 @1320078429.0", "2001:db8::4 / 1.0 @1320078429.0"])

        let lightsOff = try resolve(
            #"""
            [
              {"bt":1.320078429e+09,"bu":"/","n":"2001:db8::3","v":0.5},
              {"n":"2001:db8::4","v":0.5},
              {"n":"2001:db8::3","t":0.1,"v":0},
              {"n":"2001:db8::4","t":0.1,"v":0}
            ]
            """#)
        #expect(
            summary(lightsOff.records) == [
                "2001:db8::3 / 0.5 @1320078429.0", "2001:db8::4 / 0.5 @1320078429.0",
                "2001:db8::3 / 0.0 @1320078429.1", "2001:db8::4 / 0.0 @1320078429.1",
            ])
    }

    @Test func baseValueAndBaseSumCarryForward() throws {
        let resolution = try resolve(
            #"[{"bn":"cb3/","bv":20,"bs":100,"n":"temp","v":1.5,"s":2},{"n":"temp","v":-0.5},{"n":"rain","s":3},{"bv":0,"n":"x","v":4}]"#
        )
        #expect(resolution.records.compactMap(\.value?.number) == [21.5, 19.5, 4])
        #expect(resolution.records.map(\.sum) == [102, 100, 103, 100])
        #expect(resolution.records[2].value == nil)  // a sum-only record
    }

    @Test func relativeAndAbsoluteTimes() throws {
        let resolution = try resolve(
            #"[{"n":"a","v":1,"t":-60},{"n":"b","v":1,"bt":268435455,"t":1},{"n":"c","v":1,"bt":0,"t":268435455}]"#)
        // Sorted by time: the 2^28 record (absolute, 1978) comes first.
        #expect(resolution.records.map(\.name) == ["b", "a", "c"])
        #expect(resolution.records[0].time == 268_435_456)
        #expect(resolution.records[1].time == Self.nowSeconds - 60)
        #expect(resolution.records[2].time == Self.nowSeconds + 268_435_455)
    }

    @Test(arguments: [
        (#"[{"bver":11,"n":"a","v":1}]"#, "version 11 is newer"),
        (#"[{"n":"a","v":1},{"bver":26,"n":"b","v":1}]"#, "version 26 is newer"),
        (#"[{"bver":5,"n":"a","v":1},{"bver":6,"n":"b","v":1}]"#, "differs"),
        (#"[{"n":"a","v":1},{"bver":5,"n":"b","v":1}]"#, "differs"),
        (#"[{"bver":1.5,"n":"a","v":1}]"#, "positive integer"),
        (#"[{"n":"a","v":1,"crit_":true}]"#, "must-understand label \"crit_\""),
        (#"[{"bn":7,"n":"a","v":1}]"#, "\"bn\" is not a string"),
        (#"[{"bt":"now","n":"a","v":1}]"#, "\"bt\" is not a finite number"),
        (#"[{"bu":1,"n":"a","v":1}]"#, "\"bu\" is not a string"),
        (#"[{"bv":"1","n":"a","v":1}]"#, "\"bv\" is not a number"),
        (#"[{"bs":null,"n":"a","v":1}]"#, "\"bs\" is not a number"),
        (#"{"n":"a","v":1}"#, "expected a SenML pack"),
        (#"[{"n":"a","v":1}"#, "invalid JSON"),
    ])
    func wholePackRejections(text: String, message: String) {
        do {
            let resolution = try resolve(text)
            Issue.record("accepted: \(resolution.records)")
        } catch {
            #expect(error.reason == .undecodable)
            #expect(error.detail.contains(message), "\(error.detail)")
        }
    }

    @Test func unknownLabelsWithoutUnderscoreAreIgnored() throws {
        let resolution = try resolve(#"[{"n":"a","v":1,"vendor":{"x":[1]}}]"#)
        #expect(resolution.records.count == 1)
        #expect(resolution.rejections.isEmpty)
    }

    @Test(arguments: [
        (#"{"n":"a","v":"23"}"#, #"SenML record 2: "v" is not a number"#),
        (#"{"n":"a","vs":3}"#, #"SenML record 2: "vs" is not a string"#),
        (#"{"n":"a","vb":"yes"}"#, #"SenML record 2: "vb" is not a boolean"#),
        (#"{"n":"a","vd":1}"#, #"SenML record 2: "vd" is not a string"#),
        (#"{"n":5,"v":1}"#, #"SenML record 2: "n" is not a string"#),
        (#"{"n":"a","u":true,"v":1}"#, #"SenML record 2: "u" is not a string"#),
        (#"{"n":"a","v":1,"t":"now"}"#, #"SenML record 2: "t" is not a number"#),
        (#"{"n":"a","s":"x"}"#, #"SenML record 2: "s" is not a number"#),
        (#"{"n":"a","v":1,"ut":"x"}"#, #"SenML record 2: "ut" is not a number"#),
        (#"{"n":"a","v":1,"vs":"x"}"#, "more than one of"),
        (#"{"n":"a"}"#, "no value"),
        (#"{"v":1}"#, "no name"),
        (#"{"n":"bad name","v":1}"#, "must start with a letter or digit"),
        (#"{"n":"_a","v":1}"#, "must start with a letter or digit"),
        ("42", "SenML record 2 is a number, not an object"),
    ])
    func singleRecordRejections(record: String, message: String) throws {
        let resolution = try resolve(#"[{"n":"ok","v":1},\#(record),{"n":"ok2","v":2}]"#)
        #expect(resolution.records.map(\.name) == ["ok", "ok2"])
        #expect(resolution.rejections.count == 1)
        #expect(resolution.rejections.first?.detail.contains(message) == true, "\(resolution.rejections)")
    }

    @Test func nameRule() {
        #expect(SenML.isValidName("urn:dev:ow:10e2073a01080063:temp"))
        #expect(SenML.isValidName("2001:db8::2/temperature"))
        #expect(SenML.isValidName("a-b.c_d"))
        #expect(!SenML.isValidName(""))
        #expect(!SenML.isValidName("-a"))
        #expect(!SenML.isValidName("nhiệt_độ"))
    }
}

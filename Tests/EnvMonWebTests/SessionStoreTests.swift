import EnvMonWeb
import Testing

@Suite("SessionStore: random ids, absolute expiry on an injected clock, bounded size")
struct SessionStoreTests {
    @Test func createdSessionIsFoundByItsIdWithDistinctRandomTokens() {
        let store = SessionStore()
        let first = store.create(user: "an")
        let second = store.create(user: "an")
        #expect(store.session(id: first.id) == first)
        #expect(first.user == "an")
        #expect(RandomToken.isWellFormed(first.id) && RandomToken.isWellFormed(first.csrfToken))
        #expect(first.id.count == 43)
        #expect(Set([first.id, first.csrfToken, second.id, second.csrfToken]).count == 4)
        #expect(store.session(id: "not-a-session") == nil)
    }

    @Test func sessionEndsExactlyAtItsLifetimeWhateverItsUse() {
        let clock = ManualClock()
        let store = SessionStore(lifetime: .seconds(3600), now: clock.now)
        let session = store.create(user: "bình")
        #expect(session.expires == session.created + .seconds(3600))
        clock.advance(by: .seconds(3599))
        #expect(store.session(id: session.id) != nil)
        clock.advance(by: .seconds(1))
        #expect(store.session(id: session.id) == nil)
        #expect(store.count == 0)
    }

    @Test func destroyedSessionIsGone() {
        let store = SessionStore()
        let kept = store.create(user: "an")
        let ended = store.create(user: "an")
        store.destroy(id: ended.id)
        #expect(store.session(id: ended.id) == nil)
        #expect(store.session(id: kept.id) != nil)
    }

    @Test func destroyAllEndsOnlyThatUsersSessions() {
        let store = SessionStore()
        let an = [store.create(user: "an"), store.create(user: "an")]
        let binh = store.create(user: "bình")
        store.destroyAll(user: "an")
        #expect(an.allSatisfy { store.session(id: $0.id) == nil })
        #expect(store.session(id: binh.id) == binh)
    }

    @Test func fullStoreEvictsTheOldestSession() {
        let store = SessionStore(maximumCount: 3)
        let sessions = (0..<4).map { store.create(user: "user\($0)") }
        #expect(store.count == 3)
        #expect(store.session(id: sessions[0].id) == nil)
        #expect(sessions[1...].allSatisfy { store.session(id: $0.id) != nil })
    }

    @Test func expiredSessionsAreDroppedWhenOthersAreCreated() {
        let clock = ManualClock()
        let store = SessionStore(lifetime: .seconds(60), now: clock.now)
        for index in 0..<100 { _ = store.create(user: "user\(index)") }
        clock.advance(by: .seconds(61))
        let fresh = store.create(user: "an")
        #expect(store.count == 1)
        #expect(store.session(id: fresh.id) != nil)
    }

    @Test func manyLoginsAndLogoutsKeepTheStoreBounded() {
        let store = SessionStore(maximumCount: 10)
        var live: [Session] = []
        for index in 0..<1000 {
            let session = store.create(user: "user\(index)")
            if index.isMultiple(of: 2) { store.destroy(id: session.id) } else { live.append(session) }
        }
        #expect(store.count == 10)
        #expect(live.suffix(10).allSatisfy { store.session(id: $0.id) != nil })
    }
}

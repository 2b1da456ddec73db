import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import path from "node:path"
import { describe, expect, it } from "vitest"
import { AttackLoadError, DEFAULT_ATTACK_DATA_PATH, loadAttack, loadAttackIndex } from "./load.node.ts"
import { killChainPhases, resolveTechnique, tacticsOf } from "./model.ts"
import { compactFromStix, versionFromFileName } from "./stix.ts"

const FIXTURE = path.join(import.meta.dirname, "__fixtures__/mini-bundle.json")
const CORPUS = path.resolve(import.meta.dirname, "../../../shared/corpora/attack/enterprise-attack-18.1.json")

describe("committed default data", () => {
  const index = loadAttackIndex({ env: {} })

  it("is ATT&CK 18.1 enterprise", () => {
    expect(index.data.version).toBe("18.1")
    expect(index.data.domain).toBe("enterprise-attack")
    expect(index.data.tactics[0]?.id).toBe("TA0043")
  })

  it("has T1047 Windows Management Instrumentation under execution", () => {
    const r = resolveTechnique(index, "T1047")
    expect(r.status).toBe("known")
    expect(r.technique?.name).toBe("Windows Management Instrumentation")
    expect(r.technique?.tactics).toEqual(["execution"])
    expect(r.technique?.parent).toBeUndefined()
  })

  it("has T1021.006 Windows Remote Management under T1021 and lateral-movement", () => {
    const t = resolveTechnique(index, "t1021.006").technique
    expect(t?.name).toBe("Windows Remote Management")
    expect(t?.parent).toBe("T1021")
    expect(tacticsOf(index, "T1021.006").map((x) => x.shortname)).toEqual(["lateral-movement"])
    expect(killChainPhases(["T1021", "T1021.006"], index)).toEqual(["Exploitation"])
  })

  it("keeps revoked techniques with their replacement", () => {
    expect(resolveTechnique(index, "T1028")).toMatchObject({
      status: "revoked",
      technique: { replacedBy: "T1021.006" },
      replacement: { id: "T1021.006" },
    })
  })
})

describe("loadAttack", () => {
  it("finds the default file from the project root", () => {
    expect(existsSync(path.join(process.cwd(), DEFAULT_ATTACK_DATA_PATH))).toBe(true)
  })

  it("compacts the bundle named by ATTACK_STIX", () => {
    const data = loadAttack({ env: { ATTACK_STIX: FIXTURE } })
    expect(data.techniques.map((t) => t.id)).toEqual(["T1021", "T1021.006", "T1028", "T1064"])
  })

  it("names the path when ATTACK_STIX is unreadable or not a bundle", () => {
    const missing = path.join(tmpdir(), "no-such-attack-bundle.json")
    expect(() => loadAttack({ env: { ATTACK_STIX: missing } })).toThrow(AttackLoadError)
    expect(() => loadAttack({ env: { ATTACK_STIX: missing } })).toThrow(missing)
    const dir = mkdtempSync(path.join(tmpdir(), "attack-"))
    const notBundle = path.join(dir, "not-a-bundle.json")
    writeFileSync(notBundle, JSON.stringify({ hello: "world" }))
    expect(() => loadAttack({ env: { ATTACK_STIX: notBundle } })).toThrow(
      `${notBundle}: ATTACK_STIX: not a STIX bundle`,
    )
    const broken = path.join(dir, "broken.json")
    writeFileSync(broken, "{")
    expect(() => loadAttack({ env: { ATTACK_STIX: broken } })).toThrow(/broken\.json: .*not valid JSON/)
  })
})

describe.skipIf(!existsSync(CORPUS))(
  "ATT&CK corpus (skipped: ../shared/corpora/attack/enterprise-attack-18.1.json is absent)",
  () => {
    it("compacts to exactly the committed default", () => {
      const bundle: unknown = JSON.parse(readFileSync(CORPUS, "utf8"))
      const committed: unknown = JSON.parse(readFileSync(path.join(process.cwd(), DEFAULT_ATTACK_DATA_PATH), "utf8"))
      expect(compactFromStix(bundle, { fallbackVersion: versionFromFileName(CORPUS) })).toEqual(committed)
    })
  },
)

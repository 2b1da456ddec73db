import type { TesterForm } from "@/lib/tester/run"

const field = "w-full rounded border border-slate-400 bg-white px-2 py-1.5 font-mono text-sm text-slate-900"
const label = "block text-sm font-medium text-slate-800"

/** `disabled` until the client has read the URL hash, so nothing typed before hydration is lost. */
type Props = { form: TesterForm; disabled: boolean; onChange: (patch: Partial<TesterForm>) => void }

/** The tester's form: a command line (with parent, user, host) or a pasted event, and the risk threshold. */
export function TesterInputs({ form, disabled, onChange }: Props) {
  const text = (k: "cmd" | "parent" | "user" | "host" | "ofn" | "event") => ({
    value: form[k],
    onChange: (e: React.ChangeEvent<HTMLInputElement | HTMLTextAreaElement>) => onChange({ [k]: e.target.value }),
  })
  return (
    <form onSubmit={(e) => e.preventDefault()} aria-label="Tester input">
      <fieldset disabled={disabled} className="grid gap-4">
        <fieldset className="flex flex-wrap gap-4 text-sm">
          <legend className="mb-1 text-sm font-medium text-slate-800">Test</legend>
          <label className="flex items-center gap-2">
            <input type="radio" name="mode" checked={form.mode === "cmd"} onChange={() => onChange({ mode: "cmd" })} />a
            process built from a command line
          </label>
          <label className="flex items-center gap-2">
            <input
              type="radio"
              name="mode"
              checked={form.mode === "event"}
              onChange={() => onChange({ mode: "event" })}
            />
            an event pasted as text
          </label>
        </fieldset>
        {form.mode === "cmd" ? (
          <>
            <div>
              <label htmlFor="t-cmd" className={label}>
                Command line
              </label>
              <textarea
                id="t-cmd"
                rows={3}
                spellCheck={false}
                className={field}
                placeholder='wmic /node:10.0.0.5 process call create "cmd.exe /c whoami"'
                {...text("cmd")}
              />
            </div>
            <div className="grid gap-4 sm:grid-cols-2 lg:grid-cols-5">
              <div>
                <label htmlFor="t-parent" className={label}>
                  Parent command line or image (optional)
                </label>
                <input id="t-parent" type="text" spellCheck={false} className={field} {...text("parent")} />
              </div>
              <div>
                <label htmlFor="t-user" className={label}>
                  User (optional)
                </label>
                <input id="t-user" type="text" spellCheck={false} className={field} {...text("user")} />
              </div>
              <div>
                <label htmlFor="t-host" className={label}>
                  Host (optional)
                </label>
                <input id="t-host" type="text" spellCheck={false} className={field} {...text("host")} />
              </div>
              <div>
                <label htmlFor="t-ofn" className={label}>
                  Original file name (optional)
                </label>
                <input
                  id="t-ofn"
                  type="text"
                  spellCheck={false}
                  className={field}
                  placeholder="the image's name"
                  {...text("ofn")}
                />
              </div>
              <Threshold form={form} onChange={onChange} />
            </div>
          </>
        ) : (
          <div>
            <label htmlFor="t-event" className={label}>
              Pasted event
            </label>
            <p id="t-event-help" className="mb-1 text-xs text-slate-600">
              Flat JSON, evtx JSON (<code>{'{"Event":{"System":…,"EventData":…}}'}</code>, several allowed) or Windows
              event XML.
            </p>
            <textarea
              id="t-event"
              rows={8}
              spellCheck={false}
              aria-describedby="t-event-help"
              className={field}
              {...text("event")}
            />
            <div className="mt-4 max-w-xs">
              <Threshold form={form} onChange={onChange} />
            </div>
          </div>
        )}
      </fieldset>
    </form>
  )
}

function Threshold({ form, onChange }: Pick<Props, "form" | "onChange">) {
  return (
    <div>
      <label htmlFor="t-threshold" className={label}>
        Risk threshold
      </label>
      <input
        id="t-threshold"
        type="number"
        min={0}
        className={field}
        value={Number.isFinite(form.threshold) ? form.threshold : ""}
        onChange={(e) => onChange({ threshold: e.target.value === "" ? Number.NaN : Number(e.target.value) })}
      />
    </div>
  )
}

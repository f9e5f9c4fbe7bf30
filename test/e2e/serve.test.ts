// "Start OpenAI-Compatible Server" in a real VS Code: the notification and the status bar show
// the URL, the `openai` client gets simworld's answer from it with the user's settings, and
// "Stop OpenAI-Compatible Server" closes it (the item goes, the port refuses).
import assert from "node:assert/strict";
import OpenAI from "openai";
import { gradeAnswer } from "../../src/core/answers/index.js";
import { generateProblems } from "../simworld/index.js";
import { describeE2e } from "./harness/suite.js";
import { waitUntil } from "./harness/wait.js";

const PROBLEM = generateProblems({ count: 1, seed: 12, levels: [2] })[0]!;

describeE2e("the OpenAI-compatible server", { name: "serve", simworld: true }, (scenario) => {
  scenario("starts from the palette, answers the openai client, and stops", async (session) => {
    const { workbench } = session;
    const { notifications, statusBar } = workbench;
    await workbench.runCommand("TTS Reasoner: Start OpenAI-Compatible Server");
    const toast = await notifications.waitFor(
      /serves an OpenAI-compatible API at http:\/\/127\.0\.0\.1:\d+\/v1/,
    );
    assert.ok(toast.actions.includes("Copy URL") && toast.actions.includes("Stop"), toast.actions.join(", "));
    const url = /(http:\/\/127\.0\.0\.1:\d+\/v1)/.exec(toast.message)![1]!;
    await statusBar.waitForItem(`TTS ${new URL(url).host}`);

    const client = new OpenAI({ baseURL: url, apiKey: "unused", maxRetries: 0 });
    const ids = (await client.models.list()).data.map((m) => m.id);
    assert.ok(ids.includes("tts/beam-8"), ids.join(", "));
    const completion = await client.chat.completions.create({
      model: "tts/beam-8",
      seed: 1,
      messages: [{ role: "user", content: PROBLEM.problem }],
    });
    const tts = (completion as unknown as { tts: { answer: string | null } }).tts;
    assert.ok(gradeAnswer(PROBLEM.answer, tts.answer ?? "").equal, `${tts.answer} vs ${PROBLEM.answer}`);
    // The search went to the user's (simworld) endpoints.
    assert.ok(session.simworld!.requests.some((r) => r.path === "/v1/chat/completions"));

    await notifications.clearAll();
    await workbench.runCommand("TTS Reasoner: Stop OpenAI-Compatible Server");
    await notifications.waitFor("the OpenAI-compatible server stopped");
    await waitUntil("the status bar item to go", { timeoutMs: 10_000, intervalMs: 200 }, async () =>
      (await statusBar.texts()).every((t) => !t.includes(`TTS ${new URL(url).host}`)),
    );
    await assert.rejects(fetch(`${url}/models`), "the port no longer answers");
  });
});

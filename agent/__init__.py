"""The LangGraph brief agent.

Importing this package is light: no graph, client or index is built until used.

* ``context``: `AgentContext`, the one typed configuration (mode, model, keys, budget...).
* ``deps``: `Deps`, the injected services (retriever, chat model, drafter, rubric,
  extractor, catalog, checkpointer), each built lazily.
* ``state``: `BriefState`, the graph state (plain JSON-able data, explicit reducers).
* ``nodes``: intake, ask_missing, extract, score, retrieve, draft, check, revise,
  fallback, finish.
* ``graph``: `build_graph(deps)` and the `route_after_check` router.
* ``runner``: `run_brief`, `resume_brief`, `run_batch` and their results.
* ``llm``: the langchain-openai client and one structured-output call.
* ``prompting`` / ``wire`` / ``merge`` / ``findings``: prompts from facts, the strict
  wire schema, merging LLM prose and LLM findings under code's control.
* ``tokens``: token counts, prices and `estimate_batch` for ``--dry-run``.
* ``safety``: notes as fenced data, redaction, instruction spotting.
* ``schemas`` (the brief), ``drafter`` (offline drafter), ``render`` (Markdown/JSON).
"""

"""The LLM path: client, prompts from facts, strict wire schemas, token counts, rate limits.

* ``client``: the langchain-openai client and one structured-output call.
* ``schemas`` / ``wire``: what the LLM returns, and its strict JSON-schema form.
* ``prompting``: prompts rendered from decided facts; ``safety``: notes as fenced data.
* ``merge`` / ``findings``: LLM prose and LLM findings merged under code's control.
* ``tokens``: token counts and prices; ``ratelimit``: shared RPM/TPM pacing.
"""

"""Regenerate torch_reference.json: the parameters torch.optim reaches after STEPS steps of
every case in optim_cases.py, in float64. Needs torch (a development tool, not a dependency):

    pip install torch==2.13.0 && python tests/reference/make_torch_reference.py
"""

import json
from pathlib import Path

import torch
from optim_cases import STEPS, case_id, cases, gradient, initial_params

torch.set_default_dtype(torch.float64)


def final_params(name: str, kwargs: dict) -> dict[str, list]:
    params = {k: torch.tensor(v, requires_grad=True) for k, v in initial_params().items()}
    opt = getattr(torch.optim, name)(list(params.values()), **kwargs)
    for t in range(STEPS):
        for key, p in params.items():
            p.grad = torch.tensor(gradient(key, p.detach().numpy(), t))
        opt.step()
    return {k: p.detach().numpy().reshape(-1).tolist() for k, p in params.items()}


def main() -> None:
    out = {
        "torch": torch.__version__,
        "steps": STEPS,
        "cases": {case_id(n, kw): final_params(n, kw) for n, kw in cases()},
    }
    path = Path(__file__).with_name("torch_reference.json")
    path.write_text(json.dumps(out, indent=1) + "\n")
    print(f"wrote {len(out['cases'])} cases to {path}")


if __name__ == "__main__":
    main()

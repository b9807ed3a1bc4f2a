"""PyTorch peer for bench/nn.ts: trains the paper's network (nin -> hidden ReLU -> nout linear),
Adam lr 1e-4, MSE, batch B, on random data, and prints {"version", "samples_per_s"} as JSON.
Thread count comes from OMP_NUM_THREADS / OPENBLAS_NUM_THREADS set by the caller."""
import json, os, sys, time

import torch

nin, hidden, nout, batch, steps, warm = (int(x) for x in sys.argv[1:7])
torch.set_num_threads(int(os.environ.get("OMP_NUM_THREADS", "1")))
torch.manual_seed(0)
layers = []
prev = nin
for _ in range(hidden_layers := int(sys.argv[7])):
    layers += [torch.nn.Linear(prev, hidden), torch.nn.ReLU()]
    prev = hidden
layers.append(torch.nn.Linear(prev, nout))
net = torch.nn.Sequential(*layers)
opt = torch.optim.Adam(net.parameters(), lr=1e-4)
loss_fn = torch.nn.MSELoss()
x = torch.randn(batch, nin)
y = torch.randn(batch, nout)


def step():
    opt.zero_grad(set_to_none=True)
    loss = loss_fn(net(x), y)
    loss.backward()
    opt.step()
    return loss


for _ in range(warm):
    step()
t0 = time.perf_counter()
for _ in range(steps):
    step()
dt = time.perf_counter() - t0
print(json.dumps({"version": torch.__version__, "samples_per_s": steps * batch / dt, "threads": torch.get_num_threads()}))

// A binary min-heap of monitor ids by due time: O(log n) to add or take the next due monitor.

interface Slot {
  dueAt: number;
  monitorId: number;
}

export class DueQueue {
  private readonly heap: Slot[] = [];

  push(monitorId: number, dueAt: number): void {
    this.heap.push({ dueAt, monitorId });
    this.siftUp(this.heap.length - 1);
  }

  peekDueAt(): number | undefined {
    return this.heap[0]?.dueAt;
  }

  /** Removes and returns the earliest slot. */
  pop(): Slot | undefined {
    const top = this.heap[0];
    const last = this.heap.pop();
    if (top && last && this.heap.length > 0) {
      this.heap[0] = last;
      this.siftDown(0);
    }
    return top;
  }

  private siftUp(index: number): void {
    const heap = this.heap;
    while (index > 0) {
      const parent = (index - 1) >> 1;
      if (heap[parent]!.dueAt <= heap[index]!.dueAt) break;
      [heap[parent], heap[index]] = [heap[index]!, heap[parent]!];
      index = parent;
    }
  }

  private siftDown(index: number): void {
    const heap = this.heap;
    for (;;) {
      const left = index * 2 + 1;
      const right = left + 1;
      let smallest = index;
      if (left < heap.length && heap[left]!.dueAt < heap[smallest]!.dueAt) smallest = left;
      if (right < heap.length && heap[right]!.dueAt < heap[smallest]!.dueAt) smallest = right;
      if (smallest === index) return;
      [heap[smallest], heap[index]] = [heap[index]!, heap[smallest]!];
      index = smallest;
    }
  }
}

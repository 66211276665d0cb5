import { ObjectId } from 'mongodb';
import { cursorAfter, DomainError, idAfter, pageAfter, pageOf } from '../src';

describe('pageAfter', () => {
  const items = Array.from({ length: 5 }, () => ({ id: new ObjectId().toHexString() }));
  const after = (i: number) => cursorAfter(items[i]!.id);

  it('pages through in order and ends with an empty cursor', () => {
    const first = pageAfter(items, 2, '');
    expect(first).toEqual({ items: items.slice(0, 2), nextCursor: after(1) });
    expect(pageAfter(items, 2, first.nextCursor)).toEqual({ items: items.slice(2, 4), nextCursor: after(3) });
    expect(pageAfter(items, 2, after(3))).toEqual({ items: items.slice(4), nextCursor: '' });
    expect(pageAfter(items, 5, '')).toEqual({ items, nextCursor: '' });
  });

  it('continues after the last item served wherever it has moved, and refuses one that is gone', () => {
    const moved = [items[2], items[0], items[1], items[3], items[4]] as typeof items;
    expect(pageAfter(moved, 2, after(0)).items).toEqual([items[1], items[3]]);
    expect(() => pageAfter(items.slice(1), 2, after(0))).toThrow(DomainError);
  });
});

describe('cursors', () => {
  it('name the id they continue after, and nothing else is one', () => {
    const id = new ObjectId().toHexString();
    expect(idAfter(cursorAfter(id))).toBe(id);
    expect(idAfter(undefined)).toBeUndefined();
    for (const bad of ['not-a-cursor', cursorAfter(id).slice(1), `${cursorAfter(id)}A`]) expect(() => idAfter(bad)).toThrow(DomainError);
  });

  it('a page fetched one row longer than asked has a next cursor after its last item', () => {
    const rows = Array.from({ length: 3 }, () => ({ id: new ObjectId().toHexString() }));
    expect(pageOf(rows, 2, (row) => row.id)).toEqual({ items: rows.slice(0, 2), nextCursor: cursorAfter(rows[1]!.id) });
    expect(pageOf(rows, 3, (row) => row.id)).toEqual({ items: rows, nextCursor: '' });
  });
});

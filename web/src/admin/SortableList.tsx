import {
  closestCenter,
  DndContext,
  KeyboardSensor,
  PointerSensor,
  useSensor,
  useSensors,
  type Announcements,
  type DragEndEvent,
  type UniqueIdentifier,
} from '@dnd-kit/core';
import { arrayMove, SortableContext, sortableKeyboardCoordinates, useSortable, verticalListSortingStrategy } from '@dnd-kit/sortable';
import { CSS } from '@dnd-kit/utilities';
import { ActionIcon, Group, Paper, Stack } from '@mantine/core';
import type { ReactNode } from 'react';

interface Item {
  id: string;
  title: string;
}

function SortableRow({ item, position, disabled, children }: { item: Item; position: number; disabled: boolean; children: ReactNode }) {
  const { attributes, listeners, setNodeRef, setActivatorNodeRef, transform, transition, isDragging } = useSortable({
    id: item.id,
    disabled,
  });
  return (
    <Paper
      ref={setNodeRef}
      component="li"
      withBorder
      p="sm"
      style={{ transform: CSS.Transform.toString(transform), transition, zIndex: isDragging ? 1 : undefined, position: 'relative' }}
    >
      <Group wrap="nowrap" align="flex-start" gap="sm">
        <ActionIcon
          ref={setActivatorNodeRef}
          variant="default"
          size="lg"
          aria-label={`Drag ${item.title} (position ${String(position)}) to reorder`}
          style={{ cursor: disabled ? 'default' : 'grab', touchAction: 'none' }}
          {...attributes}
          {...listeners}
        >
          <span aria-hidden="true">⠿</span>
        </ActionIcon>
        <div style={{ flex: 1, minWidth: 0 }}>{children}</div>
      </Group>
    </Paper>
  );
}

const INSTRUCTIONS =
  'To reorder, press Space or Enter on a drag handle, move with the arrow keys, then press Space or Enter again to drop, or Escape to cancel.';

/**
 * A list reordered by dragging a handle, with the mouse, touch or the keyboard
 * (dnd-kit's keyboard sensor and its screen-reader announcements). `onReorder`
 * gets the ids in their new order once an item is dropped somewhere else.
 */
export function SortableList<T extends Item>({
  items,
  label,
  disabled = false,
  onReorder,
  children,
}: {
  items: readonly T[];
  label: string;
  disabled?: boolean;
  onReorder: (ids: string[]) => void;
  children: (item: T, index: number) => ReactNode;
}) {
  const sensors = useSensors(
    useSensor(PointerSensor, { activationConstraint: { distance: 4 } }),
    useSensor(KeyboardSensor, { coordinateGetter: sortableKeyboardCoordinates }),
  );
  const titleOf = (id: UniqueIdentifier) => items.find((item) => item.id === id)?.title ?? String(id);
  const positionOf = (id: UniqueIdentifier) => items.findIndex((item) => item.id === id) + 1;
  const announcements: Announcements = {
    onDragStart: ({ active }) => `Picked up ${titleOf(active.id)}.`,
    onDragOver: ({ active, over }) =>
      over ? `${titleOf(active.id)} is over position ${String(positionOf(over.id))}.` : `${titleOf(active.id)} is no longer over the list.`,
    onDragEnd: ({ active, over }) =>
      over ? `${titleOf(active.id)} was dropped at position ${String(positionOf(over.id))}.` : `${titleOf(active.id)} was dropped.`,
    onDragCancel: ({ active }) => `Reordering cancelled; ${titleOf(active.id)} stays where it was.`,
  };
  const drop = ({ active, over }: DragEndEvent) => {
    if (!over || active.id === over.id) return;
    const ids = items.map((item) => item.id);
    onReorder(arrayMove(ids, ids.indexOf(String(active.id)), ids.indexOf(String(over.id))));
  };
  return (
    <DndContext
      sensors={sensors}
      collisionDetection={closestCenter}
      onDragEnd={drop}
      accessibility={{ announcements, screenReaderInstructions: { draggable: INSTRUCTIONS } }}
    >
      <SortableContext items={items.map((item) => item.id)} strategy={verticalListSortingStrategy}>
        <Stack component="ol" aria-label={label} gap="xs" p={0} m={0} style={{ listStyle: 'none' }}>
          {items.map((item, index) => (
            <SortableRow key={item.id} item={item} position={index + 1} disabled={disabled}>
              {children(item, index)}
            </SortableRow>
          ))}
        </Stack>
      </SortableContext>
    </DndContext>
  );
}

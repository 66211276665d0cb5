import { Button, Paper, Stack, Table, Text, Title } from '@mantine/core';
import { api, call } from '../../shared/api/client';
import { WhenLoaded } from '../common/Screen';
import { useResource } from '../../shared/useResource';
import { ScreenTitle } from '../common/ScreenTitle';

const gems = (count: number) => `${String(count)} ${count === 1 ? 'gem' : 'gems'}`;
const dateOf = (iso: string | null) => (iso ? new Date(iso).toLocaleString() : 'Not yet known');

/** The student's gem balance and where the gems came from, newest first. */
export function GemsScreen() {
  const loaded = useResource(() => call(api.GET('/api/gems/me', { params: { query: { limit: 50 } } })), 'gems');
  return (
    <Stack maw="48em">
      <ScreenTitle>Your gems</ScreenTitle>
      <WhenLoaded loaded={loaded} what="gems">
        {(balance) => (
          <Stack>
            <Paper withBorder p="md" component="section" aria-labelledby="balance-heading">
              <Title order={2} size="h3" id="balance-heading">
                Balance
              </Title>
              <Text size="xl" fw={700}>
                You have {gems(balance.earnedGems)}.
              </Text>
              <Text>Gems come from your first attempt at each quiz.</Text>
            </Paper>
            <Button variant="default" onClick={loaded.reload} style={{ alignSelf: 'start' }}>
              Refresh
            </Button>
            <section aria-labelledby="history-heading">
              <Title order={2} size="h3" id="history-heading" mb="sm">
                History
              </Title>
              {balance.history.length === 0 ? (
                <Text>No gems yet. Take a quiz to earn some.</Text>
              ) : (
                <Table.ScrollContainer minWidth={320}>
                  <Table striped withTableBorder>
                    <Table.Thead>
                      <Table.Tr>
                        <Table.Th scope="col">When</Table.Th>
                        <Table.Th scope="col">What for</Table.Th>
                        <Table.Th scope="col">Gems</Table.Th>
                      </Table.Tr>
                    </Table.Thead>
                    <Table.Tbody>
                      {balance.history.map((grant) => (
                        <Table.Tr key={grant.id}>
                          <Table.Td>{dateOf(grant.grantedAt)}</Table.Td>
                          <Table.Td>{grant.reason || grant.source}</Table.Td>
                          <Table.Td>{grant.amount}</Table.Td>
                        </Table.Tr>
                      ))}
                    </Table.Tbody>
                  </Table>
                </Table.ScrollContainer>
              )}
            </section>
          </Stack>
        )}
      </WhenLoaded>
    </Stack>
  );
}

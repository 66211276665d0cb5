import type { Clients } from '../clients';
import type { GatewayConfig } from '../config';
import type { AnyRoute } from '../http/route';
import { categoryRoutes } from './categories';
import { withModulesAlias } from './common';
import { courseRoutes } from './courses';
import { gemRoutes } from './gems';
import { mediaRoutes } from './media';
import { navigationRoutes } from './navigation';
import { pageRoutes } from './pages';
import { progressRoutes } from './progress';
import { quizRoutes } from './quizzes';
import { systemRoutes } from './system';
import { unitRoutes } from './units';

/** Every operation of the REST API, in the order they are matched. */
export function apiRoutes(clients: Clients, config: GatewayConfig): AnyRoute[] {
  return [
    ...systemRoutes,
    ...categoryRoutes(clients),
    ...courseRoutes(clients),
    ...withModulesAlias([...unitRoutes(clients), ...pageRoutes(clients)]),
    ...navigationRoutes(clients),
    ...progressRoutes(clients),
    ...quizRoutes(clients),
    ...gemRoutes(clients),
    ...mediaRoutes(clients, config),
  ];
}

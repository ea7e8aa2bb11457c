# netns.py: Ansible's local connection, entered into a named network
# namespace of the controller (ip netns add NAME): every command of a host
# whose ansible_connection is netns runs through
#   ip netns exec NAME /bin/sh -c COMMAND
# so its module's Python, and whatever the module starts (harness-server,
# harness-client, sysctl, tc), sees that namespace's network stack. Files
# are the controller's own: a network namespace has no file system of its
# own. A host whose namespace does not exist (/run/netns/NAME) is refused
# before any command runs: nothing falls back to the controller's own
# stack. Ansible loads it from connection_plugins/ beside the playbook; it
# needs root, as ip netns exec does. deploy/inventory-netns.example.yml
# shows an inventory of two such hosts.
from __future__ import absolute_import, division, print_function

import os
import shlex

from ansible.errors import AnsibleError
from ansible.plugins.connection.local import Connection as LocalConnection

__metaclass__ = type

DOCUMENTATION = """
    name: netns
    short_description: run on the controller inside a named network namespace
    description:
        - The local connection, with every command run through ip netns exec NAME.
    author: backlog-lab
    extends_documentation_fragment:
        - connection_pipelining
    options:
      netns:
        description: the network namespace, as ip netns add named it
        required: true
        vars:
          - name: backlog_lab_netns
"""


class Connection(LocalConnection):
    """The local connection inside a network namespace."""

    transport = "netns"

    def exec_command(self, cmd, in_data=None, sudoable=True):
        namespace = self.get_option("netns")
        if not namespace:
            raise AnsibleError("the netns connection needs backlog_lab_netns: the namespace's name")
        # never the controller's own stack in its place: a command meant for
        # a namespace that is gone would reach whatever the controller
        # routes to (ip netns exec fails too, but say why first)
        if "/" in namespace or not os.path.exists(os.path.join("/run/netns", namespace)):
            raise AnsibleError(
                "network namespace %s of host %s does not exist (ip netns add %s): "
                "nothing is run on the controller's own network stack in its place"
                % (namespace, self._play_context.remote_addr or "?", namespace)
            )
        wrapped = "exec ip netns exec %s /bin/sh -c %s" % (shlex.quote(namespace), shlex.quote(cmd))
        return super(Connection, self).exec_command(wrapped, in_data=in_data, sudoable=sudoable)

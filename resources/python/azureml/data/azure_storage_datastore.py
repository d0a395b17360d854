"""AzureBlobDatastore: the type ws.get_default_datastore() returns. In Labbench a datastore is a
folder (its path comes from `labbench datastore list --json`); upload copies files into it and
as_mount() hands it to a run in place."""

import os
import shutil

from azureml import _labbench
from azureml.data.data_reference import DataReference, _clean_datastore_path
from azureml.exceptions import UserErrorException


class AzureBlobDatastore:
    """A Labbench datastore, under Azure's blob datastore type. Obtain it with
    ws.get_default_datastore() or Datastore.get(ws, name); Azure's storage account arguments have
    no meaning here."""

    def __init__(self, workspace, name, container_name, account_name, sas_token=None, account_key=None,
                 protocol=None, endpoint=None, request_session=None, workspace_msi_has_access=False,
                 subscription_id=None, resource_group=None, service_data_access_auth_identity=None):
        raise NotImplementedError(
            "AzureBlobDatastore(...): Labbench datastores are folders; add one with 'labbench "
            "datastore add NAME DIR' and get it with Datastore.get(ws, NAME)")

    @classmethod
    def _bind(cls, workspace, record):
        ds = cls.__new__(cls)
        ds.workspace = workspace
        ds.name = record["name"]
        ds.datastore_type = "AzureBlob"
        ds.container_name = record["name"]
        ds.account_name = "labbench"
        ds._folder = record["path"]
        return ds

    # --- references for script_params -----------------------------------------------------------

    def path(self, path=None, data_reference_name=None):
        return DataReference(self, data_reference_name, _clean_datastore_path(path) or None)

    def as_mount(self):
        return DataReference(self)

    def as_download(self, path_on_compute=None):
        return DataReference(self).as_download(path_on_compute)

    # --- moving files -------------------------------------------------------------------------

    def _target(self, target_path):
        """The folder in the datastore that target_path names, checked to stay inside it even
        through symbolic links."""
        root = os.path.realpath(self._folder)
        if not os.path.isdir(root):
            raise UserErrorException("The folder of datastore %s (%s) is gone; create it again or "
                                     "remove the datastore with 'labbench datastore remove %s'."
                                     % (self.name, self._folder, self.name))
        return root, os.path.join(root, *_clean_datastore_path(target_path).split("/"))

    @staticmethod
    def _inside(root, path):
        real = os.path.realpath(path)
        return real == root or real.startswith(root + os.sep)

    def upload(self, src_dir, target_path=None, overwrite=False, show_progress=True):
        """Copies every file under src_dir into target_path of the datastore; files already there
        are kept unless overwrite=True. Returns the DataReference of target_path."""
        if not os.path.isdir(src_dir):
            raise UserErrorException("upload needs src_dir to be a folder; %s is not one." % src_dir)
        files = []
        for folder, dirs, names in os.walk(src_dir):
            dirs.sort()
            files.extend(os.path.join(folder, n) for n in sorted(names))
        self._copy_in(files, src_dir, target_path, overwrite, show_progress)
        return self.path(target_path)

    def upload_files(self, files, relative_root=None, target_path=None, overwrite=False, show_progress=True):
        """Copies the given files into target_path, each at its path relative to relative_root
        (its bare name without one)."""
        for f in files:
            if not os.path.isfile(f):
                raise UserErrorException("upload_files: %s is not a file." % f)
        self._copy_in(list(files), relative_root, target_path, overwrite, show_progress)
        return self.path(target_path)

    def _copy_in(self, files, relative_root, target_path, overwrite, show_progress):
        root, target = self._target(target_path)
        if show_progress:
            print("Uploading an estimated of %d files" % len(files))
        done = 0
        for f in files:
            rel = os.path.relpath(f, relative_root) if relative_root else os.path.basename(f)
            if rel.startswith(os.pardir + os.sep) or rel == os.pardir:
                raise UserErrorException("%s is not under relative_root %s." % (f, relative_root))
            dest = os.path.join(target, rel)
            os.makedirs(os.path.dirname(dest), exist_ok=True)
            if not self._inside(root, os.path.dirname(dest)):
                raise UserErrorException("%s would land outside datastore %s (through a link); nothing "
                                         "more was uploaded." % (rel, self.name))
            if os.path.lexists(dest) and not overwrite:
                if show_progress:
                    print("Target already exists. Skipping upload for %s" % rel.replace(os.sep, "/"))
                continue
            if os.path.islink(dest):
                os.unlink(dest)  # never write through a link planted in the datastore
            if show_progress:
                print("Uploading %s" % f)
            shutil.copyfile(f, dest)
            done += 1
            if show_progress:
                print("Uploaded %s, %d files out of an estimated total of %d" % (f, done, len(files)))
        if show_progress:
            print("Uploaded %d files" % done)
        return done

    def download(self, target_path, prefix=None, overwrite=False, show_progress=True):
        """Copies the datastore's files under prefix into target_path (keeping their paths in the
        datastore); returns how many were copied."""
        root, source = self._target(prefix)
        files = []
        for folder, dirs, names in os.walk(source):
            dirs.sort()
            files.extend(os.path.join(folder, n) for n in sorted(names)
                         if self._inside(root, os.path.join(folder, n)))
        count = 0
        for src in files:
            dest = os.path.join(target_path, os.path.relpath(src, root))
            if os.path.exists(dest) and not overwrite:
                continue
            os.makedirs(os.path.dirname(dest), exist_ok=True)
            shutil.copyfile(src, dest)
            count += 1
            if show_progress:
                print("Downloaded %s, %d files out of an estimated total of %d" % (dest, count, len(files)))
        return count

    def __repr__(self):
        return "AzureBlobDatastore(name=%r, folder=%r)" % (self.name, self._folder)
